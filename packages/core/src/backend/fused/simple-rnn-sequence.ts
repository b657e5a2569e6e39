/**
 * A whole SimpleRNN layer call as one kernel, with a hand-written gradient kernel (the loops are in
 * simple-rnn-sequence-loops.ts): one forward and one backward kernel call per layer call. The
 * input projection `x·W` stays outside as one ordinary product for all steps.
 *
 * Keras's default activation (tanh) only. Registered for the `wasm` and `cpu` backends only; the
 * SimpleRNN cell uses its per-step plan wherever these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lastStep, sequenceAttrs, type SequenceKernelSpec } from './sequence-kernel.js';
import {
  hasKernel,
  placeholder,
  registerSequenceOp,
  runSequenceKernel,
  type SequenceCallInputs,
} from './sequence-op.js';
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
  savedOutputs: ['gates', 'hs'],
  forward: (k, attrs, dims) => {
    const result = simpleRNNSequenceForward(
      k.ws,
      {
        xProj: k.input('xProj'),
        bias: k.optionalVector('bias'),
        ...k.recurrent(),
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
        ...k.recurrent(),
        ...k.inputs(['gates', 'hs']),
        ...k.incoming(),
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
  const [outputs, h] = runSequenceKernel(SIMPLE_RNN_KERNELS, args, weights, {}) as [tf.Tensor, tf.Tensor];
  return { outputs, h };
}

/** Whether the current backend has the whole-sequence SimpleRNN kernel (wasm and cpu, once registered). */
export const hasSimpleRNNSequence = (): boolean => hasKernel(SIMPLE_RNN_SEQUENCE);

/** Registers the whole-sequence SimpleRNN forward and gradient kernels for `backendName` (idempotent). */
export function registerSimpleRNNSequence(backendName: FusedBackend): void {
  registerSequenceOp(backendName, SIMPLE_RNN_KERNELS);
}
