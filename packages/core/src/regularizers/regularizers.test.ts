import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, getRegularizer, l1l2 } from './index.js';

describe('regularizers (keras.regularizers)', () => {
  const w = () => tf.tensor1d([1, -2, 3]);

  it('computes Keras penalties: l1·Σ|w|, l2·Σw² (no ½), defaults 0.01 and l1_l2 0/0', () => {
    const x = w();
    expect(new L1().call(x).dataSync()[0]).toBeCloseTo(0.06, 6);
    expect(new L2().call(x).dataSync()[0]).toBeCloseTo(0.14, 6);
    expect(new L1L2().call(x).dataSync()[0]).toBe(0);
    expect(l1l2({ l1: 0.1, l2: 0.2 }).call(x).dataSync()[0]).toBeCloseTo(0.6 + 2.8, 5);
    x.dispose();
  });

  it('resolves names and serialized objects; rejects unknown names and negative factors', () => {
    expect(getRegularizer('l2')).toBeInstanceOf(L2);
    expect((getRegularizer({ className: 'L1L2', config: { l1: 0.5 } }) as L1L2).l1).toBe(0.5);
    expect(() => getRegularizer('l3')).toThrow(/Unknown regularizer "l3"; valid choices: l1, l2, l1_l2/);
    expect(() => new L2(-1)).toThrow(/non-negative/);
  });
});
