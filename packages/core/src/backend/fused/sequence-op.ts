/**
 * The op side of the whole-sequence recurrent kernels (LSTM, GRU, SimpleRNN): registering a
 * family member's kernels and its gradient, and calling its forward kernel. The gradient is one
 * call of the gradient kernel, whose outputs are, in order, the gradients of the recurrent kernel,
 * the initial states, the biases and the input projection(s); dropout and time masks are constants.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap } from '@tensorflow/tfjs-core';
import { projectionNames, sequenceKernels, type SequenceKernelSpec } from './sequence-kernel.js';
import type { FusedBackend } from './sequence-workspace.js';

/** Registers `kernels` (name → kernel function) for `backendName`, each unless already there. */
export function registerKernels(backendName: FusedBackend, kernels: [string, KernelFunc][]): void {
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, backendName) === undefined) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/** Whether the current backend has the kernel `kernelName`. */
export const hasKernel = (kernelName: string): boolean => tf.getKernel(kernelName, tf.getBackend()) !== undefined;

/** A `[0]` placeholder for an absent optional input. */
export const placeholder = (): tf.Tensor => tf.zeros([0]);

/** The forward kernels whose gradient is registered (once per process, for every backend). */
const withGradient = new Set<string>();

/** The gradient of an input state `h0` is fed as `dh` (of the final state `h`). */
const stateGradientName = (state: string): string => `d${state.slice(0, -1)}`;

/**
 * Registers the forward and gradient kernels of `spec` for `backendName` (idempotent) and, once,
 * the forward kernel's gradient.
 */
export function registerSequenceOp(backendName: FusedBackend, spec: SequenceKernelSpec): void {
  const { kernelName, states, biases, gates } = spec.signature(false);
  const [forward, gradient] = sequenceKernels(backendName, spec);
  registerKernels(backendName, [
    [kernelName, forward],
    [spec.gradientName, gradient],
  ]);
  if (withGradient.has(kernelName)) return;
  withGradient.add(kernelName);
  const inputsToSave = ['recurrentKernel', ...states, 'recurrentMasks', 'timeMask', ...biases];
  tf.registerGradient({
    kernelName,
    inputsToSave,
    outputsToSave: [false, ...states.map(() => false), ...spec.savedOutputs.map(() => true)],
    gradFunc: (dys, saved, attrs) => {
      const names = [...inputsToSave, ...spec.savedOutputs];
      const byName = Object.fromEntries(names.map((name, i) => [name, (saved as tf.Tensor[])[i]!]));
      // The gradients of the outputs and the final states ([0] when unused).
      const incoming = ['dOutputs', ...states.map(stateGradientName)].map((name, i) => [
        name,
        (dys as (tf.Tensor | null)[])[i] ?? placeholder(),
      ]);
      // All gradients come from one kernel call, made here (not in the per-input closures, which
      // the tape runs in separate tidy scopes).
      const all = tf
        .engine()
        .runKernel(spec.gradientName, { ...byName, ...Object.fromEntries(incoming) }, attrs) as unknown as tf.Tensor[];
      const leading = ['recurrentKernel', ...states, ...biases];
      const dxProj = all.slice(leading.length);
      const byInput: Record<string, () => tf.Tensor> = Object.fromEntries(
        leading.map((name, i) => [
          name,
          // A call without a bias has a [0] placeholder, which is on no gradient path.
          () => (biases.includes(name) && byName[name]!.shape[0] === 0 ? tf.zeros([0]) : all[i]!),
        ]),
      );
      projectionNames(gates, attrs['gateMajor'] === true).forEach((name, g) => (byInput[name] = () => dxProj[g]!));
      // Dropout and time masks are constants of the call.
      byInput['recurrentMasks'] = () => tf.zeros(byName['recurrentMasks']!.shape);
      byInput['timeMask'] = () => tf.zeros(byName['timeMask']!.shape);
      return byInput;
    },
  });
}

/** The inputs every sequence kernel call takes besides its weights and states. */
export interface SequenceCallInputs {
  /**
   * The input projection without the bias, time-major, by input time: `[T, B, gates·H]`, or one
   * `[T, B, H]` per gate.
   */
  xProj: tf.Tensor | tf.Tensor[];
  /** One `[B, H]` recurrent dropout mask per gate, or null. */
  recurrentMasks: tf.Tensor[] | null;
  /** `[B, T]` time mask (any dtype; 0 / false skips the step), or null. */
  mask: tf.Tensor | null;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/**
 * Runs the forward kernel of `spec` on `call` and the cell's own `inputs` and `attrs`, and returns
 * the outputs and the final states; the values saved for the gradient are disposed here, as the
 * tape keeps its own copies.
 */
export function runSequenceKernel(
  spec: SequenceKernelSpec,
  call: SequenceCallInputs,
  inputs: tf.NamedTensorMap,
  attrs: NamedAttrMap,
): tf.Tensor[] {
  return tf.tidy(() => {
    const gateMajor = Array.isArray(call.xProj);
    const { kernelName, gates, states } = spec.signature(gateMajor);
    const projections = Array.isArray(call.xProj) ? call.xProj : [call.xProj];
    const all = tf.engine().runKernel(
      kernelName,
      {
        ...Object.fromEntries(projectionNames(gates, gateMajor).map((name, g) => [name, projections[g]!])),
        ...inputs,
        recurrentMasks: call.recurrentMasks === null ? placeholder() : tf.stack(call.recurrentMasks),
        timeMask: call.mask ?? placeholder(),
      },
      { ...attrs, goBackwards: call.goBackwards, zeroOutputForMask: call.zeroOutputForMask, gateMajor },
    ) as unknown as tf.Tensor[];
    return all.slice(0, 1 + states.length);
  });
}
