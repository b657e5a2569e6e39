import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_NAMES, getActivation, serializeActivation } from './index.js';

const at = (name: string, v: number): number => {
  const y = getActivation(name)(tf.scalar(v));
  const out = y.dataSync()[0]!;
  y.dispose();
  return out;
};

describe('activations (keras.activations)', () => {
  it('computes Keras values', () => {
    const alpha = 1.6732632423543772;
    const scale = 1.0507009873554805;
    expect(at('selu', -1)).toBeCloseTo(scale * alpha * (Math.exp(-1) - 1), 5);
    expect(at('selu', 2)).toBeCloseTo(scale * 2, 5);
    // Keras 3 hard_sigmoid = relu6(x + 3) / 6.
    expect(at('hard_sigmoid', 0)).toBeCloseTo(0.5, 6);
    expect(at('hard_sigmoid', 4)).toBe(1);
    expect(at('softsign', 1)).toBeCloseTo(0.5, 6);
    expect(at('swish', 1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(at('linear', -3)).toBe(-3);
    // gelu, tanh approximation (Keras's default approximate=True).
    const g = 0.5 * 1 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
    expect(at('gelu', 1)).toBeCloseTo(g, 5);
  });

  it('every activation has a gradient (training through it works)', () => {
    for (const name of ACTIVATION_NAMES) {
      const grad = tf.grad((x: tf.Tensor) => tf.sum(getActivation(name)(x)));
      const g = grad(tf.tensor1d([-1.5, 0.5, 2]));
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      g.dispose();
    }
  });

  it('rejects unknown names, listing the valid ones, and serializes by name', () => {
    expect(() => getActivation('relu7')).toThrow(/Unknown activation "relu7"; valid choices: .*relu.*sigmoid/);
    expect(serializeActivation(undefined)).toBe('linear');
    expect(serializeActivation(getActivation('tanh'))).toBe('tanh');
  });
});
