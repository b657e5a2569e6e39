/**
 * The fused LSTM gate kernel and its gradient kernel against the same arithmetic composed from
 * TF.js ops, on the backend the tests run on (wasm by default; STRATA_BACKEND=cpu for cpu).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { LSTM_GATES, LSTM_GATES_GRAD, hasFusedLSTMGates, lstmGates } from './lstm-gates.js';

function composed(z: tf.Tensor, cPrev: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const c = tf.add(tf.mul(tf.sigmoid(zf), cPrev), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
  return [tf.mul(tf.sigmoid(zo), tf.tanh(c)), c];
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe(`fused LSTM gates (${tf.getBackend()} backend)`, () => {
  it('is registered for this backend', () => {
    expect(hasFusedLSTMGates()).toBe(true);
  });

  for (const uses of ['h and c', 'h only'] as const) {
    it(`forward and both input gradients equal the composed ops (loss uses ${uses})`, () => {
      const before = tf.memory().numTensors;
      const z = tf.randomNormal([3, 20], 0, 2, 'float32', 1);
      const cPrev = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
      const wh = tf.randomNormal([3, 5], 0, 1, 'float32', 3);
      const wc = tf.randomNormal([3, 5], 0, 1, 'float32', 4);
      const loss =
        (gates: (z: tf.Tensor, c: tf.Tensor) => [tf.Tensor, tf.Tensor]) => (zv: tf.Tensor, cv: tf.Tensor) => {
          const [h, c] = gates(zv, cv);
          const hTerm = tf.sum(tf.mul(h, wh));
          return (uses === 'h only' ? hTerm : tf.add(hTerm, tf.sum(tf.mul(c, wc)))) as tf.Scalar;
        };
      const [hF, cF] = lstmGates(z, cPrev);
      const [hC, cC] = tf.tidy(() => composed(z, cPrev));
      expect(maxDiff(hF, hC)).toBeLessThan(1e-6);
      expect(maxDiff(cF, cC)).toBeLessThan(1e-6);
      const fusedGrads = tf.grads(loss(lstmGates))([z, cPrev]);
      const composedGrads = tf.grads(loss(composed))([z, cPrev]);
      fusedGrads.forEach((g, i) => expect(maxDiff(g, composedGrads[i]!)).toBeLessThan(1e-6));
      tf.dispose([z, cPrev, wh, wc, hF, cF, hC, cC, ...fusedGrads, ...composedGrads]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('runs as one kernel forward and one backward', async () => {
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 5);
    const cPrev = tf.zeros([2, 2]);
    const info = await tf.profile(() =>
      tf.tidy(() => tf.grads((zv: tf.Tensor) => tf.sum(lstmGates(zv, cPrev)[0]) as tf.Scalar)([z])),
    );
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === LSTM_GATES)).toHaveLength(1);
    expect(names.filter((n) => n === LSTM_GATES_GRAD)).toHaveLength(1);
    tf.dispose([z, cPrev]);
  });

  it('refuses inputs of the wrong shape, naming the kernel and the expected shape', () => {
    const z = tf.zeros([2, 8]);
    const cPrev = tf.zeros([2, 3]);
    expect(() => lstmGates(z, cPrev)).toThrow(/StrataLSTMGates: expected an input of shape \(2, 2\), got \(2, 3\)/);
    tf.dispose([z, cPrev]);
  });
});
