import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { UpSampling1D } from './up-sampling1d.js';

describe('UpSampling1D', () => {
  it('repeats each step size times (default 2)', () => {
    const x = tf.tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new UpSampling1D().apply(x);
      expectClose(y, [
        [
          [1, 2],
          [1, 2],
          [3, 4],
          [3, 4],
        ],
      ]);
      return y;
    });
    expectNoLeaks(() => new UpSampling1D({ size: 1 }).apply(x));
    x.dispose();
  });

  it('has symbolic shapes, Keras config keys (no data_format) and round-trips', () => {
    expect(new UpSampling1D({ size: 3 }).apply(Input([4, 2])).shape).toEqual([null, 12, 2]);
    const layer = new UpSampling1D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'size']);
    expect(layer.kerasConfig()['size']).toBe(2);
    expectConfigRoundTrip(new UpSampling1D({ size: 3 }));
    expect(() => new UpSampling1D({ size: 0, name: 'us' })).toThrow(
      /"us" \(UpSampling1D\): size must be a positive integer, got 0/,
    );
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([1, 1]), new UpSampling1D({ size: 3 })]);
    const x = tf.tensor([[[5]]]);
    const y = model.apply(x);
    expectClose(y, [[[5], [5], [5]]]);
    tf.dispose([x, y]);
  });
});
