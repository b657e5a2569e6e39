/**
 * Plumbing shared by the whole-sequence recurrent kernels (LSTM, GRU): the names of the input
 * projection's inputs, the shape checks of a forward call, the optional (`[0]` placeholder)
 * inputs, running a kernel body with a workspace that is freed afterwards, and the kernel
 * functions of a family member from its forward and backward loops (sequence-op.ts is the op side).
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  readValues,
  sequenceWorkspace,
  type FusedBackend,
  type SequenceBuffer,
  type SequenceWorkspace,
} from './sequence-workspace.js';
import type { SequenceDims } from './sequence-steps.js';

/** The direction and masking attributes every sequence kernel takes. */
export interface SequenceAttrs {
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** Reads {@link SequenceAttrs} from a kernel's attributes. */
export const sequenceAttrs = (attrs: NamedAttrMap | undefined): SequenceAttrs => ({
  goBackwards: attrs?.['goBackwards'] === true,
  zeroOutputForMask: attrs?.['zeroOutputForMask'] === true,
});

/** The names of the input projection's inputs: `xProj`, or with `gateMajor` `xProj0`… one per gate. */
export const projectionNames = (gates: number, gateMajor: boolean): string[] =>
  gateMajor ? Array.from({ length: gates }, (_, g) => `xProj${g}`) : ['xProj'];

/** What a forward call of a sequence kernel must look like. */
export interface SequenceSignature {
  kernelName: string;
  gates: number;
  gateMajor: boolean;
  /** The `[B, H]` initial states' names. */
  states: string[];
  /** The `[gates·H]`-or-`[0]` biases' names. */
  biases: string[];
}

/** Checks the shapes of a forward call's inputs and returns T, B, H. */
export function sequenceDimensions(
  inputs: Record<string, TensorInfo | undefined>,
  { kernelName, gates, gateMajor, states, biases }: SequenceSignature,
): SequenceDims {
  const { recurrentKernel, recurrentMasks, timeMask } = inputs;
  const xProj = inputs[gateMajor ? 'xProj0' : 'xProj'];
  const fail = (what: string, info: TensorInfo | undefined): never => {
    throw new Error(
      `${kernelName}: expected ${what}, got ${info === undefined ? 'nothing' : `(${info.shape.join(', ')})`}`,
    );
  };
  if (xProj === undefined || xProj.shape.length !== 3 || (!gateMajor && xProj.shape[2]! % gates !== 0)) {
    return fail(
      gateMajor ? 'xProj0 of shape (time, batch, units)' : `xProj of shape (time, batch, ${gates}·units)`,
      xProj,
    );
  }
  const [T, B, width] = xProj.shape as [number, number, number];
  const H = gateMajor ? width : width / gates;
  const HG = gates * H;
  const same = (info: TensorInfo | undefined, shape: number[]): boolean =>
    info !== undefined && info.shape.length === shape.length && info.shape.every((d, i) => d === shape[i]);
  for (const name of projectionNames(gates, gateMajor)) {
    if (!same(inputs[name], [T, B, gateMajor ? H : HG]))
      fail(`${name} of shape (${T}, ${B}, ${gateMajor ? H : HG})`, inputs[name]);
  }
  for (const name of biases) {
    if (!same(inputs[name], [0]) && !same(inputs[name], [HG])) fail(`${name} of shape (${HG}) or (0)`, inputs[name]);
  }
  if (!same(recurrentKernel, [H, HG])) fail(`recurrentKernel of shape (${H}, ${HG})`, recurrentKernel);
  for (const name of states) if (!same(inputs[name], [B, H])) fail(`${name} of shape (${B}, ${H})`, inputs[name]);
  if (!same(recurrentMasks, [0]) && !same(recurrentMasks, [gates, B, H])) {
    fail(`recurrentMasks of shape (${gates}, ${B}, ${H}) or (0)`, recurrentMasks);
  }
  if (!same(timeMask, [0]) && !same(timeMask, [B, T])) fail(`timeMask of shape (${B}, ${T}) or (0)`, timeMask);
  return { T, B, H };
}

/** The reading side of one kernel call: its workspace and its inputs by name. */
export interface KernelInputs {
  ws: SequenceWorkspace;
  /** A float32 input as a buffer. */
  input(name: string): SequenceBuffer;
  /** A float32 input, or null for a missing one or a `[0]` / rank-1 placeholder of a rank ≥ 2 input. */
  optional(name: string): SequenceBuffer | null;
  /** A 1-D input (a bias), or null for a `[0]` placeholder. */
  optionalVector(name: string): SequenceBuffer | null;
  /** The `[B, T]` time mask as numbers, or null. */
  timeMask(): ArrayLike<number> | null;
  /** Float32 inputs by name (the values a forward kernel saved for the gradient). */
  inputs<N extends string>(names: N[]): Record<N, SequenceBuffer>;
  /** The gradient kernel's incoming gradients of the outputs and the final `h`, null when unused. */
  incoming(): { dOutputs: SequenceBuffer | null; dh: SequenceBuffer | null };
  /** The inputs every kernel of the family takes: the recurrent kernel, `h0`, the dropout masks and the time mask. */
  recurrent(): {
    recurrentKernel: SequenceBuffer;
    h0: SequenceBuffer;
    recurrentMasks: SequenceBuffer | null;
    timeMask: ArrayLike<number> | null;
  };
}

/**
 * Runs `body` with a workspace for `inputs` that is freed afterwards (the outputs handed out are
 * kept), for a kernel of `kernelName` on `backendName`.
 */
export function withKernelInputs<T>(
  backendName: FusedBackend,
  backend: object,
  kernelName: string,
  inputs: Record<string, TensorInfo | undefined>,
  body: (k: KernelInputs) => T,
): T {
  const ws = sequenceWorkspace(backendName, backend, kernelName);
  const present = (name: string): TensorInfo => {
    const info = inputs[name];
    if (info === undefined) throw new Error(`${kernelName}: missing input ${name}`);
    return info;
  };
  const k: KernelInputs = {
    ws,
    inputs: <N extends string>(names: N[]) =>
      Object.fromEntries(names.map((name) => [name, k.input(name)])) as Record<N, SequenceBuffer>,
    incoming: () => ({ dOutputs: k.optional('dOutputs'), dh: k.optional('dh') }),
    recurrent: () => ({
      recurrentKernel: k.input('recurrentKernel'),
      h0: k.input('h0'),
      recurrentMasks: k.optional('recurrentMasks'),
      timeMask: k.timeMask(),
    }),
    input: (name) => ws.input(present(name)),
    optional: (name) => {
      const info = inputs[name];
      return info === undefined || info.shape.length === 1 ? null : ws.input(info);
    },
    optionalVector: (name) => {
      const info = inputs[name];
      return info === undefined || info.shape[0] === 0 ? null : ws.input(info);
    },
    timeMask: () => {
      const info = inputs['timeMask'];
      return info === undefined || info.shape.length === 1 ? null : readValues(backendName, backend, info);
    },
  };
  try {
    return body(k);
  } finally {
    ws.dispose();
  }
}

/** A copy of the last step's `[B, H]` block of `states` `[T, B, H]` (a final state: outputs must not share memory). */
export function lastStep(ws: SequenceWorkspace, states: SequenceBuffer, { T, B, H }: SequenceDims): SequenceBuffer {
  const from = (T - 1) * B * H;
  const out = ws.alloc([B, H]);
  ws.view(out).set(ws.view(states).subarray(from, from + B * H));
  return out;
}

/** What distinguishes one cell's sequence kernels: its signature and its forward and backward loops. */
export interface SequenceKernelSpec {
  signature(gateMajor: boolean): SequenceSignature;
  /** The gradient kernel's name. */
  gradientName: string;
  /**
   * The names of the forward outputs after `outputs` and the final states: the values saved for the
   * gradient kernel, which takes them by these names.
   */
  savedOutputs: string[];
  /** Runs the forward loop; returns every output of the forward kernel, in order. */
  forward(k: KernelInputs, attrs: NamedAttrMap, dims: SequenceDims): SequenceBuffer[];
  /** Runs the backward loop; returns the gradients before the projection's, and the projection's. */
  backward(
    k: KernelInputs,
    attrs: NamedAttrMap,
    dims: SequenceDims,
    gateMajor: boolean,
  ): { leading: SequenceBuffer[]; dxProj: SequenceBuffer[] };
}

/** The forward and the gradient kernel function of `spec` for `backendName`. */
export function sequenceKernels(backendName: FusedBackend, spec: SequenceKernelSpec): [KernelFunc, KernelFunc] {
  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo | undefined>;
    const signature = spec.signature(attrs?.['gateMajor'] === true);
    const dims = sequenceDimensions(named, signature);
    return withKernelInputs(backendName, backend, signature.kernelName, named, (k) =>
      spec.forward(k, attrs ?? {}, dims).map((b) => k.ws.output(b)),
    );
  };
  const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo | undefined>;
    const gates = named['gates'];
    const gateMajor = attrs?.['gateMajor'] === true;
    const count = spec.signature(gateMajor).gates;
    if (gates === undefined || gates.shape.length !== 3 || named['recurrentKernel'] === undefined) {
      throw new Error(
        `${spec.gradientName}: expected the saved gates (time, batch, ${count}·units) and the recurrent kernel`,
      );
    }
    const [T, B, HG] = gates.shape as [number, number, number];
    const dims = { T, B, H: HG / count };
    return withKernelInputs(backendName, backend, spec.gradientName, named, (k) => {
      const { leading, dxProj } = spec.backward(k, attrs ?? {}, dims, gateMajor);
      return [
        ...leading.map((b) => k.ws.output(b)),
        ...dxProj.map((dx) => k.ws.output(dx, [T, B, gateMajor ? dims.H : HG])),
      ];
    });
  };
  return [forward, gradient];
}
