import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { RepeatVector } from './repeat-vector.js';

describe('RepeatVector', () => {
  it('repeats the vector n times', () => {
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    expectNoLeaks(() => {
      const y = new RepeatVector(3).apply(x);
      expectClose(y, [
        [
          [1, 2],
          [1, 2],
          [1, 2],
        ],
        [
          [3, 4],
          [3, 4],
          [3, 4],
        ],
      ]);
      return y;
    });
    x.dispose();
    expect(new RepeatVector(5).apply(Input([7])).shape).toEqual([null, 5, 7]);
  });

  it('validates n and input rank; round-trips', () => {
    expect(() => new RepeatVector(0, { name: 'rv' })).toThrow(
      /"rv" \(RepeatVector\): n must be a positive integer, got 0/,
    );
    expect(() => new RepeatVector(2).apply(Input([2, 3]))).toThrow(/expected input of rank 2/);
    const layer = new RepeatVector(4);
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'n']);
    expectConfigRoundTrip(layer);
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([1]), new RepeatVector(2)]);
    const x = tf.tensor([[7]]);
    const y = model.apply(x);
    expectClose(y, [[[7], [7]]]);
    tf.dispose([x, y]);
  });
});
