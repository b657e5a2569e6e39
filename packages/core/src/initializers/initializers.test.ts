import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  GlorotUniform,
  HeNormal,
  Orthogonal,
  VarianceScaling,
  computeFans,
  getInitializer,
  serializeInitializer,
} from './index.js';

function stats(t: tf.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('initializers (keras.initializers)', () => {
  it('computes fans as Keras: dense [in, out], conv [...receptive, in, out]', () => {
    expect(computeFans([784, 512])).toEqual({ fanIn: 784, fanOut: 512 });
    expect(computeFans([3, 3, 32, 64])).toEqual({ fanIn: 288, fanOut: 576 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });

  it('GlorotUniform draws within ±sqrt(6 / (fan_in + fan_out)) with the uniform variance', () => {
    const w = new GlorotUniform({ seed: 1 }).call([200, 300]);
    const limit = Math.sqrt(6 / 500);
    const s = stats(w);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    // Std of U(-l, l) is l/sqrt(3); the sample std of 60,000 draws is within 2% of it.
    expect(Math.abs(s.std - limit / Math.sqrt(3)) / (limit / Math.sqrt(3))).toBeLessThan(0.02);
    w.dispose();
  });

  it('HeNormal is a truncated normal with std sqrt(2 / fan_in) (Keras divides by .8796 before truncating)', () => {
    const w = new HeNormal({ seed: 2 }).call([400, 200]);
    const s = stats(w);
    expect(Math.abs(s.std - Math.sqrt(2 / 400)) / Math.sqrt(2 / 400)).toBeLessThan(0.03);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    w.dispose();
  });

  it('Orthogonal gives Q with QᵀQ = I', () => {
    const q = new Orthogonal({ seed: 3 }).call([6, 4]) as tf.Tensor2D;
    const gram = tf.matMul(q, q, true, false);
    const diff = tf.max(tf.abs(tf.sub(gram, tf.eye(4)))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([q, gram]);
  });

  it('resolves Keras names, class names and serialized objects; rejects unknown names listing valid ones', () => {
    expect(getInitializer('glorot_uniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('he_normal')).toBeInstanceOf(HeNormal);
    expect(getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out' } })).toBeInstanceOf(
      VarianceScaling,
    );
    expect(() => getInitializer('glorot_uniformm')).toThrow(
      /Unknown initializer "glorot_uniformm"; valid choices: .*glorot_uniform/,
    );
    expect(serializeInitializer(new GlorotUniform())).toEqual({
      module: 'keras.initializers',
      className: 'GlorotUniform',
      config: { seed: null },
      registeredName: null,
    });
  });

  it('validates VarianceScaling arguments', () => {
    expect(() => new VarianceScaling({ mode: 'fan_sideways' as 'fan_in' })).toThrow(
      /valid choices: fan_in, fan_out, fan_avg/,
    );
    expect(() => new VarianceScaling({ scale: -1 })).toThrow(/scale must be positive/);
  });
});
