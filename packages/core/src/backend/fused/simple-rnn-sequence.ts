/**
 * A whole SimpleRNN layer call as one kernel, with a hand-written gradient kernel (the loops are in
 * simple-rnn-sequence-loops.ts): one forward and one backward kernel call per layer call. The
 * input projection `x·W` stays outside as one ordinary product for all steps.
 *
 * Keras's default activation (tanh) only. Registered for the `wasm` and `cpu` backends only; the
 * SimpleRNN cell uses its per-step plan wherever these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  biasGradient,
  hasKernel,
  incomingGradients,
  lastStep,
  placeholder,
  registerKernels,
  runSequenceKernel,
  sequenceAttrs,
  sequenceKernels,
  sharedGradients,
  type SequenceCallInputs,
  type SequenceKernelSpec,
} from './sequence-kernel.js';
import { simpleRNNSequenceBackward, simpleRNNSequenceForward } from './simple-rnn-sequence-loops.js';
import type { FusedBackend } from './sequence-workspace.js';

/**
 * Forward kernel: inputs `xProj` `[T, B, H]`, `bias` `[H]` or `[0]`, `recurrentKernel` `[H, H]`,
 * `h0` `[B, H]`, `recurrentMasks` `[1, B, H]` or `[0]`, `timeMask` `[B, T]` or `[0]`; attributes
 * `goBackwards`, `zeroOutputForMask`; outputs `outputs` `[T, B, H]` (processing order), `h`, and for
 * the gradient the tanh of every step and the states, `[T, B, H]` each.
 */
export const SIMPLE_RNN_SEQUENCE = 'StrataSimpleRNNSequence';
/**
 * Gradient kernel: the forward inputs `recurrentKernel`, `h0`, `recurrentMasks`, `timeMask`, the
 * saved `gates`, `hs`, and the gradients `dOutputs`, `dh` (`[0]` when unused); outputs the gradients
 * of `recurrentKernel`, `h0`, `bias`, `xProj`.
 */
export const SIMPLE_RNN_SEQUENCE_GRAD = 'StrataSimpleRNNSequenceGrad';

const SIMPLE_RNN_KERNELS: SequenceKernelSpec = {
  signature: () => ({ kernelName: SIMPLE_RNN_SEQUENCE, gates: 1, gateMajor: false, states: ['h0'], biases: ['bias'] }),
  gradientName: SIMPLE_RNN_SEQUENCE_GRAD,
  forward: (k, attrs, dims) => {
    const result = simpleRNNSequenceForward(
      k.ws,
      {
        xProj: k.input('xProj'),
        bias: k.optionalVector('bias'),
        recurrentKernel: k.input('recurrentKernel'),
        h0: k.input('h0'),
        recurrentMasks: k.optional('recurrentMasks'),
        timeMask: k.timeMask(),
      },
      sequenceAttrs(attrs),
      dims,
    );
    return [result.outputs, lastStep(k.ws, result.hs, dims), result.gates, result.hs];
  },
  backward: (k, attrs, dims) => {
    const result = simpleRNNSequenceBackward(
      k.ws,
      {
        recurrentKernel: k.input('recurrentKernel'),
        h0: k.input('h0'),
        recurrentMasks: k.optional('recurrentMasks'),
        timeMask: k.timeMask(),
        gates: k.input('gates'),
        hs: k.input('hs'),
        dOutputs: k.optional('dOutputs'),
        dh: k.optional('dh'),
      },
      sequenceAttrs(attrs),
      dims,
    );
    return { leading: [result.dRecurrentKernel, result.dh0, result.dBias], dxProj: [result.dxProj] };
  },
};

/** The inputs of {@link simpleRNNSequence}: `xProj` `[T, B, H]` and at most one recurrent mask. */
export interface SimpleRNNSequenceArgs extends SequenceCallInputs {
  xProj: tf.Tensor;
  /** `[H]`, or null. */
  bias: tf.Tensor | null;
  /** `[H, H]`. */
  recurrentKernel: tf.Tensor;
  h0: tf.Tensor;
}

/** The SimpleRNN over a whole sequence: outputs `[T, B, H]` in processing order and the final state. */
export function simpleRNNSequence(args: SimpleRNNSequenceArgs): { outputs: tf.Tensor; h: tf.Tensor } {
  const weights = { bias: args.bias ?? placeholder(), recurrentKernel: args.recurrentKernel, h0: args.h0 };
  const [outputs, h] = runSequenceKernel(SIMPLE_RNN_SEQUENCE, 1, args, weights, {}, 2) as [tf.Tensor, tf.Tensor];
  return { outputs, h };
}

/** Whether the current backend has the whole-sequence SimpleRNN kernel (wasm and cpu, once registered). */
export const hasSimpleRNNSequence = (): boolean => hasKernel(SIMPLE_RNN_SEQUENCE);

let gradientRegistered = false;

/** Registers the whole-sequence SimpleRNN kernels for `backendName` (idempotent) and, once, their gradient. */
export function registerSimpleRNNSequence(backendName: FusedBackend): void {
  const [forward, gradient] = sequenceKernels(backendName, SIMPLE_RNN_KERNELS);
  registerKernels(backendName, [
    [SIMPLE_RNN_SEQUENCE, forward],
    [SIMPLE_RNN_SEQUENCE_GRAD, gradient],
  ]);
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: SIMPLE_RNN_SEQUENCE,
    inputsToSave: ['recurrentKernel', 'h0', 'recurrentMasks', 'timeMask', 'bias'],
    outputsToSave: [false, false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [recurrentKernel, h0, recurrentMasks, timeMask, bias, gates, hs] = saved as tf.Tensor[];
      const [dOutputs, dh] = incomingGradients(dys);
      // All gradients come from one kernel call, made here (not in the per-input closures).
      const [dRecurrentKernel, dh0, dBias, dxProj] = tf
        .engine()
        .runKernel(
          SIMPLE_RNN_SEQUENCE_GRAD,
          { recurrentKernel, h0, recurrentMasks, timeMask, gates, hs, dOutputs, dh } as tf.NamedTensorMap,
          attrs,
        ) as unknown as tf.Tensor[];
      return {
        ...sharedGradients(1, attrs, [dxProj!], recurrentMasks!, timeMask!),
        bias: biasGradient(bias!, dBias!),
        recurrentKernel: () => dRecurrentKernel!,
        h0: () => dh0!,
      };
    },
  });
}
