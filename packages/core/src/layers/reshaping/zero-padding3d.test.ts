import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { ZeroPadding3D } from './zero-padding3d.js';

describe('ZeroPadding3D', () => {
  it('normalizes padding as Keras and pads the three spatial axes', () => {
    expect(new ZeroPadding3D().padding).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(new ZeroPadding3D({ padding: [1, 0, 2] }).padding).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
    const x = tf.ones([1, 1, 1, 1, 1]);
    expectNoLeaks(() => {
      const y = new ZeroPadding3D({
        padding: [
          [1, 0],
          [0, 0],
          [0, 1],
        ],
      }).apply(x);
      expectClose(y, [[[[[0], [0]]], [[[1], [0]]]]]);
      return y;
    });
    x.dispose();
    expect(() => new ZeroPadding3D({ padding: [1, 2], name: 'z3' })).toThrow(
      /"z3" \(ZeroPadding3D\): padding must be .*list of 3/,
    );
  });

  it('has symbolic shapes, Keras config keys; round-trips; works in Sequential', () => {
    expect(new ZeroPadding3D({ padding: [1, 2, 3] }).apply(Input([2, 2, 2, 4])).shape).toEqual([null, 4, 6, 8, 4]);
    expect(new ZeroPadding3D({ dataFormat: 'channels_first' }).apply(Input([4, 2, 2, 2])).shape).toEqual([
      null,
      4,
      4,
      4,
      4,
    ]);
    const layer = new ZeroPadding3D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'padding', 'data_format']);
    expect(layer.kerasConfig()['padding']).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expectConfigRoundTrip(
      new ZeroPadding3D({
        padding: [
          [0, 1],
          [2, 3],
          [4, 5],
        ],
      }),
    );
    const model = new Sequential([Input([1, 1, 1, 2]), new ZeroPadding3D()]);
    const x = tf.ones([1, 1, 1, 1, 2]);
    const y = model.apply(x);
    expect(y.shape).toEqual([1, 3, 3, 3, 2]);
    expect(tf.sum(y).dataSync()[0]).toBe(2);
    tf.dispose([x, y]);
  });
});
