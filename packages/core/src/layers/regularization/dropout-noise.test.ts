/**
 * Dropout's one-pass mask (uniform-stream.ts) equals the composed kernels it replaces (draw,
 * `≥ rate`, cast, divide by `1 − rate`, multiply) bit for bit, values and gradients, on the
 * running backend, with full and shared noise shapes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dropoutNoise } from './dropout-noise.js';

/** Dropout as it was composed from TF.js ops. */
function composed(x: tf.Tensor, rate: number, noiseShape: number[], seed: number): tf.Tensor {
  const keep = tf.cast(tf.greaterEqual(tf.randomUniform(noiseShape, 0, 1, 'float32', seed), rate), x.dtype);
  return tf.mul(x, tf.div(keep, 1 - rate));
}

describe('dropoutNoise', () => {
  const cases: [string, number[], number[], number][] = [
    ['full noise shape', [6, 50], [6, 50], 0.2],
    ['noise shared along an axis', [4, 5, 8], [4, 1, 8], 0.5],
    ['an awkward rate', [3, 333], [3, 333], 1 / 3],
    ['a tiny rate', [2, 100], [2, 100], 1e-7],
  ];
  for (const [name, shape, noiseShape, rate] of cases) {
    it(`equals the composed ops bit for bit, value and gradient: ${name}`, () => {
      const before = tf.memory().numTensors;
      const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 4);
      for (const seed of [11, 99]) {
        const [ours, theirs] = [dropoutNoise, composed].map((f) => tf.tidy(() => f(x, rate, noiseShape, seed)));
        expect(Array.from(ours!.dataSync())).toEqual(Array.from(theirs!.dataSync()));
        const [gOurs, gTheirs] = [dropoutNoise, composed].map((f) =>
          tf.grad((v: tf.Tensor) => f(v, rate, noiseShape, seed))(x, dy),
        );
        expect(Array.from(gOurs!.dataSync())).toEqual(Array.from(gTheirs!.dataSync()));
        tf.dispose([ours!, theirs!, gOurs!, gTheirs!]);
      }
      tf.dispose([x, dy]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
