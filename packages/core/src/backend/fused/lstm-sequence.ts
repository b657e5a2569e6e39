/**
 * A whole LSTM layer call as one kernel, with a hand-written gradient kernel: the time loop runs
 * inside the kernel (see lstm-sequence-forward.ts and lstm-sequence-backward.ts), so a training
 * step costs one forward and one backward kernel call per layer call instead of ~15 small kernels
 * per time step. The input projection `x·W + b` stays outside as ordinary ops (one product for all
 * steps), so its gradients flow through TF.js's own.
 *
 * Keras's default activations (tanh, sigmoid) only. Registered for the `wasm` and `cpu` backends
 * only, so a native backend keeps its own kernels; the LSTM cell uses its per-step plan wherever
 * these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lstmSequenceBackward } from './lstm-sequence-backward.js';
import { lstmSequenceForward } from './lstm-sequence-forward.js';
import {
  lastStep,
  sequenceAttrs,
  projectionNames,
  type SequenceKernelSpec,
  type SequenceSignature,
} from './sequence-kernel.js';
import {
  hasKernel,
  placeholder,
  registerSequenceOp,
  runSequenceKernel,
  type SequenceCallInputs,
} from './sequence-op.js';
import type { FusedBackend } from './sequence-workspace.js';

/**
 * Forward kernel: inputs `xProj` `[T, B, 4H]` (or, with attribute `gateMajor`, `xProj0`…`xProj3`
 * `[T, B, H]`, one per gate), `bias` `[4H]` or `[0]`, `recurrentKernel` `[H, 4H]`, `h0`, `c0`
 * `[B, H]`, `recurrentMasks` `[4, B, H]` or `[0]`, `timeMask` `[B, T]` or `[0]`; attributes
 * `goBackwards`, `zeroOutputForMask`, `gateMajor`; outputs `outputs` `[T, B, H]` (processing order), `h`, `c` `[B, H]`, and for
 * the gradient the gate activations `[T, B, 4H]`, the states after every step `[T, B, H]` (h, c)
 * and tanh(c) of every step.
 */
export const LSTM_SEQUENCE = 'StrataLSTMSequence';
/**
 * Gradient kernel: the forward inputs `recurrentKernel`, `h0`, `c0`, `recurrentMasks`, `timeMask`,
 * the saved `gates`, `hs`, `cs`, `tanhCs`, and the gradients `dOutputs`, `dh`, `dc` (`[0]` when unused);
 * outputs the gradients of `recurrentKernel`, `h0`, `c0`, `bias`, then of `xProj` (or of `xProj0`…`xProj3`).
 */
export const LSTM_SEQUENCE_GRAD = 'StrataLSTMSequenceGrad';

/** The shape of a forward call. */
const signature = (gateMajor: boolean): SequenceSignature => ({
  kernelName: LSTM_SEQUENCE,
  gates: 4,
  gateMajor,
  states: ['h0', 'c0'],
  biases: ['bias'],
});

const LSTM_KERNELS: SequenceKernelSpec = {
  signature,
  gradientName: LSTM_SEQUENCE_GRAD,
  savedOutputs: ['gates', 'hs', 'cs', 'tanhCs'],
  forward: (k, attrs, dims) => {
    const result = lstmSequenceForward(
      k.ws,
      {
        xProj: projectionNames(4, attrs['gateMajor'] === true).map((name) => k.input(name)),
        bias: k.optionalVector('bias'),
        ...k.recurrent(),
        c0: k.input('c0'),
      },
      sequenceAttrs(attrs),
      dims,
    );
    const [h, c] = [lastStep(k.ws, result.hs, dims), lastStep(k.ws, result.cs, dims)];
    return [result.outputs, h, c, result.gates, result.hs, result.cs, result.tanhCs];
  },
  backward: (k, attrs, dims, gateMajor) => {
    const result = lstmSequenceBackward(
      k.ws,
      {
        ...k.recurrent(),
        c0: k.input('c0'),
        ...k.inputs(['gates', 'hs', 'cs', 'tanhCs']),
        ...k.incoming(),
        dc: k.optional('dc'),
      },
      sequenceAttrs(attrs),
      dims,
      gateMajor,
    );
    return { leading: [result.dRecurrentKernel, result.dh0, result.dc0, result.dBias], dxProj: result.dxProj };
  },
};

/** The inputs of {@link lstmSequence}: `xProj` `[T, B, 4H]` or four `[T, B, H]`, and four masks. */
export interface LSTMSequenceArgs extends SequenceCallInputs {
  /** `[4H]`, or null. */
  bias: tf.Tensor | null;
  /** `[H, 4H]`. */
  recurrentKernel: tf.Tensor;
  h0: tf.Tensor;
  c0: tf.Tensor;
}

/** The LSTM over a whole sequence: outputs `[T, B, H]` in processing order and the final states. */
export function lstmSequence(args: LSTMSequenceArgs): { outputs: tf.Tensor; h: tf.Tensor; c: tf.Tensor } {
  const weights = { bias: args.bias ?? placeholder(), recurrentKernel: args.recurrentKernel, h0: args.h0, c0: args.c0 };
  const [outputs, h, c] = runSequenceKernel(LSTM_KERNELS, args, weights, {}) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return { outputs, h, c };
}

/** Whether the current backend has the whole-sequence LSTM kernel (wasm and cpu, once registered). */
export const hasLSTMSequence = (): boolean => hasKernel(LSTM_SEQUENCE);

/** Registers the whole-sequence LSTM forward and gradient kernels for `backendName` (idempotent). */
export function registerLSTMSequence(backendName: FusedBackend): void {
  registerSequenceOp(backendName, LSTM_KERNELS);
}
