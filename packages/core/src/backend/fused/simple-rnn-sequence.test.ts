/**
 * The whole-sequence SimpleRNN kernel and its gradient kernel against the same loop composed from
 * TF.js ops (the arithmetic of `SimpleRNNCell` and the masking rules of `RNN`'s per-step loop), on
 * the wasm and the cpu backend: outputs, final state, and the gradients of the input projection,
 * the bias, the recurrent kernel and the initial state, with and without a recurrent dropout mask,
 * time masks, `goBackwards` and `zeroOutputForMask`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
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
  SIMPLE_RNN_SEQUENCE,
  SIMPLE_RNN_SEQUENCE_GRAD,
  hasSimpleRNNSequence,
  registerSimpleRNNSequence,
  simpleRNNSequence,
} from './simple-rnn-sequence.js';

type Runner = (
  xProj: tf.Tensor,
  bias: tf.Tensor,
  kernel: tf.Tensor,
  h0: tf.Tensor,
  masks: tf.Tensor[] | null,
  timeMask: tf.Tensor | null,
  c: SequenceCase,
) => tf.Tensor[];

/** The reference: RNN's per-step loop over composed ops (see layers/rnn/rnn.ts and simple-rnn-cell.ts). */
const composed: Runner = (xProj, bias, kernel, h0, masks, timeMask, c) =>
  composedLoop(tf.unstack(c.bias ? tf.add(xProj, bias) : xProj, 0), [h0], timeMask, c, (x, [h]) => [
    tf.tanh(tf.add(x, tf.matMul(masks === null ? h! : tf.mul(h!, masks[0]!), kernel))),
  ]);

const fused: Runner = (xProj, bias, kernel, h0, masks, timeMask, c) => {
  const r = simpleRNNSequence({
    xProj,
    bias: c.bias ? bias : null,
    recurrentKernel: kernel,
    h0,
    recurrentMasks: masks,
    mask: timeMask,
    goBackwards: c.goBackwards ?? false,
    zeroOutputForMask: c.zeroOutputForMask ?? false,
  });
  return [r.outputs, r.h];
};

/** Forward results and the gradients of a weighted sum of both results (or of the final h only). */
function evaluate(run: Runner, c: SequenceCase, useOutputs: boolean) {
  return tf.tidy(() => {
    const xProj = tf.randomNormal([T, B, H], 0, 1.5, 'float32', 1);
    const bias = tf.randomNormal([H], 0, 1, 'float32', 9);
    const kernel = tf.randomNormal([H, H], 0, 0.6, 'float32', 2);
    const h0 = tf.randomNormal([B, H], 0, 0.5, 'float32', 3);
    const masks = dropoutMasks(c, 1);
    const timeMask = timeMaskOf(c);
    const probes = [tf.randomNormal([T, B, H], 0, 1, 'float32', 10), tf.randomNormal([B, H], 0, 1, 'float32', 11)];
    const loss = (x: tf.Tensor, k: tf.Tensor, h: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const results = run(x, b, k, h, masks, timeMask, c);
      const terms = results.map((r, i) => (useOutputs || i === 1 ? tf.sum(tf.mul(r, probes[i]!)) : tf.scalar(0)));
      // Keeps the bias on the gradient path (a zero gradient) in the cases without it.
      terms.push(tf.mul(tf.sum(b), 0));
      return tf.addN(terms) as tf.Scalar;
    };
    const results = run(xProj, bias, kernel, h0, masks, timeMask, c);
    const grads = tf.grads(loss)([xProj, kernel, h0, bias]);
    return { results, grads };
  });
}

describeOnBackends('SimpleRNN', registerSimpleRNNSequence, hasSimpleRNNSequence, (backend) => {
  // One projection tensor only: the per-gate case is the bias case here.
  for (const c of SEQUENCE_CASES.filter((k) => k.gateMajor !== true)) {
    for (const useOutputs of [true, false]) {
      it(`${c.name} (loss uses ${useOutputs ? 'outputs and state' : 'final h only'})`, async () => {
        await tf.setBackend(backend);
        expectSameAsComposed(
          () => evaluate(fused, c, useOutputs),
          () => evaluate(composed, c, useOutputs),
        );
      });
    }
  }

  it('runs as one kernel forward and one backward', async () => {
    await tf.setBackend(backend);
    await expectOneKernelEachWay([SIMPLE_RNN_SEQUENCE, SIMPLE_RNN_SEQUENCE_GRAD], () => {
      tf.dispose(evaluate(fused, { name: 'profile', dropout: true, timeMask: true, bias: true }, true));
    });
  });
});
