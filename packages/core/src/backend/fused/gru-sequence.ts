/**
 * A whole GRU layer call as one kernel, with a hand-written gradient kernel: the time loop runs
 * inside the kernel (see gru-sequence-forward.ts and gru-sequence-backward.ts), so a training step
 * costs one forward and one backward kernel call per layer call instead of ~20 small kernels per
 * time step. The input projection `x·W` stays outside as ordinary ops (one product for all steps),
 * so its gradients flow through TF.js's own.
 *
 * Keras's default activations (tanh, sigmoid) only; both `reset_after` conventions. Registered for
 * the `wasm` and `cpu` backends only, so a native backend keeps its own kernels; the GRU cell uses
 * its per-step plan wherever these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gruSequenceBackward } from './gru-sequence-backward.js';
import { gruSequenceForward, type GRUSequenceAttrs } from './gru-sequence-forward.js';
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
 * Forward kernel: inputs `xProj` `[T, B, 3H]` (or, with attribute `gateMajor`, `xProj0`…`xProj2`
 * `[T, B, H]`), `inputBias` and `recurrentBias` `[3H]` or `[0]`, `recurrentKernel` `[H, 3H]`, `h0`
 * `[B, H]`, `recurrentMasks` `[3, B, H]` or `[0]`, `timeMask` `[B, T]` or `[0]`; attributes
 * `goBackwards`, `zeroOutputForMask`, `gateMajor`, `resetAfter`; outputs `outputs` `[T, B, H]`
 * (processing order), `h` `[B, H]`, and for the gradient the gates `[T, B, 3H]`, the states
 * `[T, B, H]` and the candidate's recurrent term `[T, B, H]` of every step.
 */
export const GRU_SEQUENCE = 'StrataGRUSequence';
/**
 * Gradient kernel: the forward inputs `recurrentKernel`, `h0`, `recurrentMasks`, `timeMask`, the
 * saved `gates`, `hs`, `aux`, and the gradients `dOutputs`, `dh` (`[0]` when unused); outputs the
 * gradients of `recurrentKernel`, `h0`, `inputBias`, `recurrentBias`, then of `xProj` (or `xProj0`…).
 */
export const GRU_SEQUENCE_GRAD = 'StrataGRUSequenceGrad';

const gruAttrs = (attrs: Parameters<typeof sequenceAttrs>[0]): GRUSequenceAttrs => ({
  ...sequenceAttrs(attrs),
  resetAfter: attrs?.['resetAfter'] === true,
});

const signature = (gateMajor: boolean): SequenceSignature => ({
  kernelName: GRU_SEQUENCE,
  gates: 3,
  gateMajor,
  states: ['h0'],
  biases: ['inputBias', 'recurrentBias'],
});

const GRU_KERNELS: SequenceKernelSpec = {
  signature,
  gradientName: GRU_SEQUENCE_GRAD,
  savedOutputs: ['gates', 'hs', 'aux'],
  forward: (k, attrs, dims) => {
    const result = gruSequenceForward(
      k.ws,
      {
        xProj: projectionNames(3, attrs['gateMajor'] === true).map((name) => k.input(name)),
        inputBias: k.optionalVector('inputBias'),
        recurrentBias: k.optionalVector('recurrentBias'),
        ...k.recurrent(),
      },
      gruAttrs(attrs),
      dims,
    );
    return [result.outputs, lastStep(k.ws, result.hs, dims), result.gates, result.hs, result.aux];
  },
  backward: (k, attrs, dims, gateMajor) => {
    const result = gruSequenceBackward(
      k.ws,
      {
        ...k.recurrent(),
        ...k.inputs(['gates', 'hs', 'aux']),
        ...k.incoming(),
      },
      gruAttrs(attrs),
      dims,
      gateMajor,
    );
    return {
      leading: [result.dRecurrentKernel, result.dh0, result.dInputBias, result.dRecurrentBias],
      dxProj: result.dxProj,
    };
  },
};

/** The inputs of {@link gruSequence}: `xProj` `[T, B, 3H]` or three `[T, B, H]`, and three masks. */
export interface GRUSequenceArgs extends SequenceCallInputs {
  /** `[3H]` input bias, or null. */
  inputBias: tf.Tensor | null;
  /** `[3H]` recurrent bias (reset_after), or null. */
  recurrentBias: tf.Tensor | null;
  /** `[H, 3H]`. */
  recurrentKernel: tf.Tensor;
  h0: tf.Tensor;
  resetAfter: boolean;
}

/** The GRU over a whole sequence: outputs `[T, B, H]` in processing order and the final state. */
export function gruSequence(args: GRUSequenceArgs): { outputs: tf.Tensor; h: tf.Tensor } {
  const weights = {
    inputBias: args.inputBias ?? placeholder(),
    recurrentBias: args.recurrentBias ?? placeholder(),
    recurrentKernel: args.recurrentKernel,
    h0: args.h0,
  };
  const attrs = { resetAfter: args.resetAfter };
  const [outputs, h] = runSequenceKernel(GRU_KERNELS, args, weights, attrs) as [tf.Tensor, tf.Tensor];
  return { outputs, h };
}

/** Whether the current backend has the whole-sequence GRU kernel (wasm and cpu, once registered). */
export const hasGRUSequence = (): boolean => hasKernel(GRU_SEQUENCE);

/** Registers the whole-sequence GRU forward and gradient kernels for `backendName` (idempotent). */
export function registerGRUSequence(backendName: FusedBackend): void {
  registerSequenceOp(backendName, GRU_KERNELS);
}
