import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm, getConstraint } from './index.js';

describe('constraints (keras.constraints)', () => {
  it('MaxNorm caps column norms at max_value (axis 0) and leaves smaller ones', () => {
    const w = tf.tensor2d([
      [3, 0.3],
      [4, 0.4],
    ]);
    const out = new MaxNorm({ maxValue: 2 }).call(w).arraySync() as number[][];
    expect(out[0]![0]).toBeCloseTo(1.2, 5);
    expect(out[1]![0]).toBeCloseTo(1.6, 5);
    expect(out[0]![1]).toBeCloseTo(0.3, 5);
    w.dispose();
  });

  it('NonNeg zeroes negatives; UnitNorm normalizes; MinMaxNorm clips into the range', () => {
    expect(Array.from(new NonNeg().call(tf.tensor1d([-1, 2])).dataSync()).map((v) => v + 0)).toEqual([0, 2]);
    const unit = new UnitNorm().call(tf.tensor2d([[3], [4]])).dataSync();
    expect(unit[0]).toBeCloseTo(0.6, 5);
    const mm = new MinMaxNorm({ minValue: 1, maxValue: 2 }).call(tf.tensor2d([[0.3], [0.4]])).dataSync();
    expect(Math.hypot(mm[0]!, mm[1]!)).toBeCloseTo(1, 4);
  });

  it('resolves Keras names; rejects unknown ones listing the valid ones', () => {
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(() => getConstraint('maxnorm2')).toThrow(
      /Unknown constraint "maxnorm2"; valid choices: max_norm, non_neg, unit_norm, min_max_norm/,
    );
  });
});
