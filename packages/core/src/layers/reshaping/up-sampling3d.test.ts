import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { UpSampling3D } from './up-sampling3d.js';

describe('UpSampling3D', () => {
  it('repeats entries along the three spatial axes', () => {
    const x = tf.tensor([1, 2], [1, 1, 1, 2, 1]);
    expectNoLeaks(() => {
      const y = new UpSampling3D({ size: [2, 1, 2] }).apply(x);
      expectClose(y, [[[[[1], [1], [2], [2]]], [[[1], [1], [2], [2]]]]]);
      return y;
    });
    x.dispose();
  });

  it('has Keras defaults, symbolic shapes, config keys; round-trips; validates size', () => {
    const layer = new UpSampling3D();
    expect(layer.kerasConfig()).toMatchObject({ size: [2, 2, 2], data_format: 'channels_last' });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'size', 'data_format']);
    expect(layer.apply(Input([1, 2, 3, 4])).shape).toEqual([null, 2, 4, 6, 4]);
    expect(new UpSampling3D({ size: 3, dataFormat: 'channels_first' }).apply(Input([4, 1, 1, 2])).shape).toEqual([
      null,
      4,
      3,
      3,
      6,
    ]);
    expectConfigRoundTrip(new UpSampling3D({ size: [1, 2, 3] }));
    expect(() => new UpSampling3D({ size: [2, 2], name: 'u3' })).toThrow(/"u3" \(UpSampling3D\): size must be/);
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([1, 1, 1, 1]), new UpSampling3D()]);
    const x = tf.ones([1, 1, 1, 1, 1]);
    const y = model.apply(x);
    expect(y.shape).toEqual([1, 2, 2, 2, 1]);
    tf.dispose([x, y]);
  });
});
