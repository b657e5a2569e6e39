import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Cropping1D } from './cropping1d.js';

describe('Cropping1D', () => {
  it('removes steps at the start and end (default [1, 1])', () => {
    const x = tf.tensor([[[1], [2], [3], [4]]]);
    expectNoLeaks(() => {
      const y = new Cropping1D().apply(x);
      expectClose(y, [[[2], [3]]]);
      return y;
    });
    const y = new Cropping1D({ cropping: [2, 0] }).apply(x);
    expectClose(y, [[[3], [4]]]);
    tf.dispose([x, y]);
  });

  it('has symbolic shapes, Keras config keys and round-trips', () => {
    expect(new Cropping1D({ cropping: 2 }).apply(Input([10, 3])).shape).toEqual([null, 6, 3]);
    const layer = new Cropping1D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'cropping']);
    expect(layer.kerasConfig()['cropping']).toEqual([1, 1]);
    expectConfigRoundTrip(new Cropping1D({ cropping: [0, 3] }));
  });

  it('rejects cropping everything, naming the layer and shape', () => {
    expect(() => new Cropping1D({ cropping: [2, 2], name: 'c1' }).apply(Input([4, 1]))).toThrow(
      /"c1" \(Cropping1D\).*\[2, 2\].*\(None, 4, 1\)/,
    );
    const x = tf.ones([1, 2, 1]);
    expect(() => new Cropping1D().apply(x)).toThrow(/fewer steps/);
    x.dispose();
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([3, 1]), new Cropping1D({ cropping: [0, 1] })]);
    const x = tf.tensor([[[1], [2], [3]]]);
    const y = model.apply(x);
    expectClose(y, [[[1], [2]]]);
    tf.dispose([x, y]);
  });
});
