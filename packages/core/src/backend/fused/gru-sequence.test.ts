/**
 * The whole-sequence GRU kernel and its gradient kernel against the same loop composed from TF.js
 * ops (the arithmetic of `GRUCell` and the masking rules of `RNN`'s per-step loop), on the wasm and
 * the cpu backend, for both `resetAfter` conventions: outputs, final state, and the gradients of
 * the input projection, both biases, the recurrent kernel and the initial state, with and without
 * recurrent dropout masks, time masks, `goBackwards` and `zeroOutputForMask`.
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
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD, gruSequence, hasGRUSequence, registerGRUSequence } from './gru-sequence.js';

type Case = SequenceCase;

/** The weights and inputs of one evaluation. */
interface Values {
  xProj: tf.Tensor;
  inputBias: tf.Tensor;
  recurrentBias: tf.Tensor;
  kernel: tf.Tensor;
  h0: tf.Tensor;
}

type Runner = (
  v: Values,
  masks: tf.Tensor[] | null,
  timeMask: tf.Tensor | null,
  c: Case,
  resetAfter: boolean,
) => tf.Tensor[];

/** The reference: RNN's per-step loop over composed ops (see layers/rnn/rnn.ts and gru-cell.ts). */
const composed: Runner = (v, masks, timeMask, c, resetAfter) => {
  const kernels = tf.split(v.kernel, 3, 1);
  const recurrentBiases = c.bias && resetAfter ? tf.split(v.recurrentBias, 3, 0) : null;
  const steps = tf.unstack(c.bias ? tf.add(v.xProj, v.inputBias) : v.xProj, 0);
  return composedLoop(steps, [v.h0], timeMask, c, (x, [h]) => {
    const masked = (g: number): tf.Tensor => (masks === null ? h! : tf.mul(h!, masks[g]!));
    const [xz, xr, xh] = tf.split(x, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const rec = (g: number): tf.Tensor => {
      const p = tf.matMul(masked(g), kernels[g]!);
      return recurrentBiases === null ? p : tf.add(p, recurrentBiases[g]!);
    };
    const z = tf.sigmoid(tf.add(xz, rec(0)));
    const r = tf.sigmoid(tf.add(xr, rec(1)));
    const candidate = tf.tanh(
      tf.add(xh, resetAfter ? tf.mul(r, rec(2)) : tf.matMul(tf.mul(r, masked(2)), kernels[2]!)),
    );
    return [tf.add(tf.mul(z, h!), tf.mul(tf.sub(1, z), candidate))];
  });
};

const fused: Runner = (v, masks, timeMask, c, resetAfter) => {
  const r = gruSequence({
    xProj: c.gateMajor ? tf.split(v.xProj, 3, 2) : v.xProj,
    inputBias: c.bias ? v.inputBias : null,
    recurrentBias: c.bias && resetAfter ? v.recurrentBias : null,
    recurrentKernel: v.kernel,
    h0: v.h0,
    recurrentMasks: masks,
    mask: timeMask,
    goBackwards: c.goBackwards ?? false,
    zeroOutputForMask: c.zeroOutputForMask ?? false,
    resetAfter,
  });
  return [r.outputs, r.h];
};

/** Forward results and the gradients of a weighted sum of both results (or of the final h only). */
function evaluate(run: Runner, c: Case, resetAfter: boolean, useOutputs: boolean) {
  return tf.tidy(() => {
    const xProj = tf.randomNormal([T, B, 3 * H], 0, 1.5, 'float32', 1);
    const inputBias = tf.randomNormal([3 * H], 0, 1, 'float32', 9);
    const recurrentBias = tf.randomNormal([3 * H], 0, 1, 'float32', 19);
    const kernel = tf.randomNormal([H, 3 * H], 0, 0.6, 'float32', 2);
    const h0 = tf.randomNormal([B, H], 0, 0.5, 'float32', 3);
    const masks = dropoutMasks(c, 3);
    const timeMask = timeMaskOf(c);
    const probes = [tf.randomNormal([T, B, H], 0, 1, 'float32', 10), tf.randomNormal([B, H], 0, 1, 'float32', 11)];
    const loss = (x: tf.Tensor, k: tf.Tensor, h: tf.Tensor, bi: tf.Tensor, br: tf.Tensor): tf.Scalar => {
      const results = run(
        { xProj: x, inputBias: bi, recurrentBias: br, kernel: k, h0: h },
        masks,
        timeMask,
        c,
        resetAfter,
      );
      const terms = results.map((r, i) => (useOutputs || i === 1 ? tf.sum(tf.mul(r, probes[i]!)) : tf.scalar(0)));
      // Keeps the biases on the gradient path (a zero gradient) in the cases without them.
      terms.push(tf.mul(tf.add(tf.sum(bi), tf.sum(br)), 0));
      return tf.addN(terms) as tf.Scalar;
    };
    const results = run({ xProj, inputBias, recurrentBias, kernel, h0 }, masks, timeMask, c, resetAfter);
    const grads = tf.grads(loss)([xProj, kernel, h0, inputBias, recurrentBias]);
    return { results, grads };
  });
}

describeOnBackends('GRU', registerGRUSequence, hasGRUSequence, (backend) => {
  for (const resetAfter of [true, false]) {
    for (const c of SEQUENCE_CASES) {
      for (const useOutputs of [true, false]) {
        const used = useOutputs ? 'outputs and state' : 'final h only';
        it(`resetAfter ${resetAfter}: ${c.name} (loss uses ${used})`, async () => {
          await tf.setBackend(backend);
          expectSameAsComposed(
            () => evaluate(fused, c, resetAfter, useOutputs),
            () => evaluate(composed, c, resetAfter, useOutputs),
          );
        });
      }
    }
  }

  it('runs as one kernel forward and one backward', async () => {
    await tf.setBackend(backend);
    for (const resetAfter of [true, false]) {
      await expectOneKernelEachWay([GRU_SEQUENCE, GRU_SEQUENCE_GRAD], () => {
        tf.dispose(evaluate(fused, { name: 'profile', dropout: true, timeMask: true, bias: true }, resetAfter, true));
      });
    }
  });

  it('refuses inputs of the wrong shape, naming the kernel and the expected shape', async () => {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const args = {
        xProj: tf.zeros([T, B, 3 * H]),
        inputBias: tf.zeros([4 * H]),
        recurrentBias: null,
        recurrentKernel: tf.zeros([H, 3 * H]),
        h0: tf.zeros([B, H]),
        recurrentMasks: null,
        mask: null,
        goBackwards: false,
        zeroOutputForMask: false,
        resetAfter: true,
      };
      expect(() => gruSequence(args)).toThrow(
        /StrataGRUSequence: expected inputBias of shape \(12\) or \(0\), got \(16\)/,
      );
    });
  });
});
