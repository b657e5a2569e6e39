/**
 * The op side of the whole-sequence recurrent kernels (LSTM, GRU, SimpleRNN): registering a
 * family member's forward and gradient kernels, and calling the forward kernel with its gradient
 * attached. The gradient is one call of the gradient kernel, whose outputs are, in order, the
 * gradients of the recurrent kernel, the initial states, the biases and the input projection(s);
 * dropout and time masks are constants.
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

/** The gradient of an input state `h0` is fed as `dh` (of the final state `h`). */
const stateGradientName = (state: string): string => `d${state.slice(0, -1)}`;

/** Registers the forward and gradient kernels of `spec` for `backendName` (idempotent). */
export function registerSequenceOp(backendName: FusedBackend, spec: SequenceKernelSpec): void {
  const { kernelName } = spec.signature(false);
  const [forward, gradient] = sequenceKernels(backendName, spec);
  registerKernels(backendName, [
    [kernelName, forward],
    [spec.gradientName, gradient],
  ]);
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
 * the outputs and the final states.
 *
 * The kernel's gradient is attached with `tf.customGrad` rather than registered: the values the
 * gradient kernel reads (the gate activations and states of every step) are then saved for it
 * without being outputs on the tape, for which TF.js would otherwise build a zero gradient in
 * JavaScript at every training step (megabytes for a long sequence). customGrad takes one output,
 * so the outputs and the final states travel stacked along the time axis, `[T + states, B, H]`.
 */
export function runSequenceKernel(
  spec: SequenceKernelSpec,
  call: SequenceCallInputs,
  inputs: tf.NamedTensorMap,
  attrs: NamedAttrMap,
): tf.Tensor[] {
  const gateMajor = Array.isArray(call.xProj);
  const { kernelName, gates, states, biases } = spec.signature(gateMajor);
  // Named as TF.js names its ops' scopes, so that tf.profile lists the customGrad call by it.
  return tf.tidy(`${kernelName}__op`, () => {
    const projections = Array.isArray(call.xProj) ? call.xProj : [call.xProj];
    const named: [string, tf.Tensor][] = [
      ...projectionNames(gates, gateMajor).map((name, g): [string, tf.Tensor] => [name, projections[g]!]),
      ...Object.entries(inputs),
      ['recurrentMasks', call.recurrentMasks === null ? placeholder() : tf.stack(call.recurrentMasks)],
      ['timeMask', call.mask ?? placeholder()],
    ];
    const kernelAttrs = {
      ...attrs,
      goBackwards: call.goBackwards,
      zeroOutputForMask: call.zeroOutputForMask,
      gateMajor,
    };
    const inputsToSave = ['recurrentKernel', ...states, 'recurrentMasks', 'timeMask', ...biases];
    const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args[named.length] as tf.GradSaveFunc;
      const byName = Object.fromEntries(named.map(([name], i) => [name, args[i] as tf.Tensor]));
      const all = tf.engine().runKernel(kernelName, byName, kernelAttrs) as unknown as tf.Tensor[];
      const returned = 1 + states.length;
      save([...inputsToSave.map((name) => byName[name]!), ...all.slice(returned)]);
      const stacked = tf.concat([all[0]!, ...all.slice(1, returned).map((state) => tf.expandDims(state, 0))], 0);
      return {
        value: stacked,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
          sequenceGradients(spec, named, inputsToSave, dy as tf.Tensor, saved, kernelAttrs),
      };
    });
    const stacked = forward(...named.map(([, tensor]) => tensor));
    const T = stacked.shape[0] - states.length;
    return [tf.slice(stacked, 0, T), ...states.map((_, i) => tf.squeeze(tf.slice(stacked, T + i, 1), [0]))];
  });
}

/**
 * The gradients of every input of a forward call (in `named`'s order) from the gradient `dy` of
 * its stacked outputs and final states: one call of the gradient kernel. Dropout and time masks
 * are constants of the call (zero gradients).
 */
function sequenceGradients(
  spec: SequenceKernelSpec,
  named: readonly [string, tf.Tensor][],
  inputsToSave: readonly string[],
  dy: tf.Tensor,
  saved: tf.Tensor[],
  attrs: NamedAttrMap,
): tf.Tensor[] {
  const { states, biases, gates } = spec.signature(attrs['gateMajor'] === true);
  const names = [...inputsToSave, ...spec.savedOutputs];
  const byName = Object.fromEntries(names.map((name, i) => [name, saved[i]!]));
  const T = dy.shape[0]! - states.length;
  const incoming: [string, tf.Tensor][] = [
    ['dOutputs', tf.slice(dy, 0, T)],
    ...states.map((state, i): [string, tf.Tensor] => [
      stateGradientName(state),
      tf.squeeze(tf.slice(dy, T + i, 1), [0]),
    ]),
  ];
  const all = tf
    .engine()
    .runKernel(spec.gradientName, { ...byName, ...Object.fromEntries(incoming) }, attrs) as unknown as tf.Tensor[];
  const leading = ['recurrentKernel', ...states, ...biases];
  const byInput = new Map<string, tf.Tensor>(leading.map((name, i) => [name, all[i]!]));
  projectionNames(gates, attrs['gateMajor'] === true).forEach((name, g) => byInput.set(name, all[leading.length + g]!));
  return named.map(([name, input]) => {
    // Masks, and a [0] placeholder for an absent bias, are on no gradient path.
    if (name === 'recurrentMasks' || name === 'timeMask' || input.shape[0] === 0) return tf.zerosLike(input);
    const gradient = byInput.get(name);
    if (gradient === undefined) throw new Error(`${spec.gradientName}: no gradient for input '${name}'`);
    return gradient;
  });
}
