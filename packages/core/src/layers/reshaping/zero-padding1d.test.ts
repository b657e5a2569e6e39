import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { ZeroPadding1D } from './zero-padding1d.js';

describe('ZeroPadding1D', () => {
  it('pads the steps axis (default 1 on each side)', () => {
    const x = tf.tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new ZeroPadding1D().apply(x);
      expectClose(y, [
        [
          [0, 0],
          [1, 2],
          [3, 4],
          [0, 0],
        ],
      ]);
      return y;
    });
    const y = new ZeroPadding1D({ padding: [2, 0] }).apply(x);
    expectClose(y, [
      [
        [0, 0],
        [0, 0],
        [1, 2],
        [3, 4],
      ],
    ]);
    const cf = new ZeroPadding1D({ padding: [0, 1], dataFormat: 'channels_first' }).apply(x);
    expectClose(cf, [
      [
        [1, 2, 0],
        [3, 4, 0],
      ],
    ]);
    tf.dispose([x, y, cf]);
  });

  it('has symbolic shapes, Keras config keys and round-trips', () => {
    expect(new ZeroPadding1D({ padding: 3 }).apply(Input([5, 2])).shape).toEqual([null, 11, 2]);
    expect(new ZeroPadding1D({ dataFormat: 'channels_first' }).apply(Input([2, 5])).shape).toEqual([null, 2, 7]);
    const layer = new ZeroPadding1D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'padding', 'data_format']);
    expect(layer.kerasConfig()).toMatchObject({ padding: [1, 1], data_format: 'channels_last' });
    expectConfigRoundTrip(new ZeroPadding1D({ padding: [1, 3] }));
  });

  it('validates padding and rank; works in Sequential', () => {
    expect(() => new ZeroPadding1D({ padding: -1, name: 'zp' })).toThrow(
      /"zp" \(ZeroPadding1D\): padding must be a non-negative integer/,
    );
    expect(() => new ZeroPadding1D().apply(Input([3]))).toThrow(/rank 3/);
    const model = new Sequential([Input([1, 1]), new ZeroPadding1D()]);
    const x = tf.ones([1, 1, 1]);
    const y = model.apply(x);
    expectClose(y, [[[0], [1], [0]]]);
    tf.dispose([x, y]);
  });
});
