/**
 * The whole-sequence LSTM kernel and its gradient kernel against the same loop composed from TF.js
 * ops (the arithmetic and the masking rules of `RNN`'s per-step loop), on the wasm and the cpu
 * backend: outputs, final states, and the gradients of the input projection, the recurrent kernel
 * and the initial states, with and without recurrent dropout masks, time masks, `goBackwards` and
 * `zeroOutputForMask`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, it } from 'vitest';
import {
  B,
  H,
  SEQUENCE_CASES,
  T,
  composedLoop,
  dropoutMasks,
  expectSameAsComposed,
  describeOnBackends,
  expectOneKernelEachWay,
  timeMaskOf,
  type SequenceCase,
} from './sequence-kernel.test-suite.js';
import {
  LSTM_SEQUENCE,
  LSTM_SEQUENCE_GRAD,
  hasLSTMSequence,
  lstmSequence,
  registerLSTMSequence,
} from './lstm-sequence.js';

type Case = SequenceCase;

/** The reference: RNN's per-step loop over composed ops (see layers/rnn/rnn.ts and lstm-cell.ts). */
function composed(
  xProj: tf.Tensor,
  bias: tf.Tensor,
  kernel: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  masks: tf.Tensor[] | null,
  timeMask: tf.Tensor | null,
  c: Case,
): tf.Tensor[] {
  const kernels = tf.split(kernel, 4, 1);
  const steps = tf.unstack(c.bias ? tf.add(xProj, bias) : xProj, 0);
  return composedLoop(steps, [h0, c0], timeMask, c, (x, [h, cs]) => {
    const rec =
      masks === null
        ? tf.matMul(h!, kernel)
        : tf.concat(
            kernels.map((k, g) => tf.matMul(tf.mul(h!, masks[g]!), k)),
            1,
          );
    const [zi, zf, zc, zo] = tf.split(tf.add(x, rec), 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const cNew = tf.add(tf.mul(tf.sigmoid(zf), cs!), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
    return [tf.mul(tf.sigmoid(zo), tf.tanh(cNew)), cNew];
  });
}

function fused(
  xProj: tf.Tensor,
  bias: tf.Tensor,
  kernel: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  masks: tf.Tensor[] | null,
  timeMask: tf.Tensor | null,
  c: Case,
): tf.Tensor[] {
  const r = lstmSequence({
    xProj: c.gateMajor ? tf.split(xProj, 4, 2) : xProj,
    bias: c.bias ? bias : null,
    recurrentKernel: kernel,
    h0,
    c0,
    recurrentMasks: masks,
    mask: timeMask,
    goBackwards: c.goBackwards ?? false,
    zeroOutputForMask: c.zeroOutputForMask ?? false,
  });
  return [r.outputs, r.h, r.c];
}

/** Forward results and the gradients of a weighted sum of all three results (or of a subset). */
function evaluate(run: typeof composed, c: Case, uses: [boolean, boolean, boolean]) {
  return tf.tidy(() => {
    const xProj = tf.randomNormal([T, B, 4 * H], 0, 1.5, 'float32', 1);
    const bias = tf.randomNormal([4 * H], 0, 1, 'float32', 9);
    const kernel = tf.randomNormal([H, 4 * H], 0, 0.6, 'float32', 2);
    const h0 = tf.randomNormal([B, H], 0, 0.5, 'float32', 3);
    const c0 = tf.randomNormal([B, H], 0, 0.5, 'float32', 4);
    const masks = dropoutMasks(c, 4);
    const timeMask = timeMaskOf(c);
    const probes = [
      [T, B, H],
      [B, H],
      [B, H],
    ].map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 10 + i));
    const loss = (x: tf.Tensor, k: tf.Tensor, h: tf.Tensor, cc: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const results = run(x, b, k, h, cc, masks, timeMask, c);
      const terms = results.map((r, i) => (uses[i] ? tf.sum(tf.mul(r, probes[i]!)) : tf.scalar(0)));
      // Keeps the bias on the gradient path (a zero gradient) in the cases without it.
      terms.push(tf.mul(tf.sum(b), 0));
      return tf.addN(terms) as tf.Scalar;
    };
    const results = run(xProj, bias, kernel, h0, c0, masks, timeMask, c);
    const grads = tf.grads(loss)([xProj, kernel, h0, c0, bias]);
    return { results, grads };
  });
}

describeOnBackends('LSTM', registerLSTMSequence, hasLSTMSequence, (backend) => {
  for (const c of SEQUENCE_CASES) {
    for (const uses of [
      [true, true, true],
      [false, true, false],
    ] as [boolean, boolean, boolean][]) {
      const used = uses[0] ? 'outputs and states' : 'final h only';
      it(`${c.name} (${c.dropout ? 'with' : 'no'} dropout masks; loss uses ${used})`, async () => {
        await tf.setBackend(backend);
        expectSameAsComposed(
          () => evaluate(fused, c, uses),
          () => evaluate(composed, c, uses),
        );
      });
    }
  }

  it('runs as one kernel forward and one backward', async () => {
    await tf.setBackend(backend);
    await expectOneKernelEachWay([LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD], () => {
      tf.dispose(evaluate(fused, { name: 'profile', dropout: true, timeMask: true }, [true, true, true]));
    });
  });

  it('refuses inputs of the wrong shape, naming the kernel and the expected shape', async () => {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const args = {
        xProj: tf.zeros([T, B, 4 * H]),
        bias: null,
        recurrentKernel: tf.zeros([H, 4 * H]),
        h0: tf.zeros([B, H + 1]),
        c0: tf.zeros([B, H]),
        recurrentMasks: null,
        mask: null,
        goBackwards: false,
        zeroOutputForMask: false,
      };
      expect(() => lstmSequence(args)).toThrow(/StrataLSTMSequence: expected h0 of shape \(3, 4\), got \(3, 5\)/);
    });
  });
});
