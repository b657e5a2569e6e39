/**
 * NaN in → NaN out on every backend, as in Keras (TensorFlow) and PyTorch. Some TF.js 4.x
 * kernels swallow NaN, and not the same ones per backend: on 'wasm', Relu6 and ClipByValue turn
 * NaN into the lower bound; on 'cpu' and 'wasm', MaxPool / MaxPool3D windows ignore a NaN (cpu
 * MaxPool) or may (MaxPool3D on both). A model could then predict finite numbers for a NaN input
 * on one backend and NaN on another. These wrappers run the backend's own kernel, then, only when
 * the input holds a NaN (one scan over the input), put NaN where it belongs: at the same position
 * for the element-wise kernels, in every window that holds a NaN for the pooling kernels.
 */
import {
  ClipByValue,
  MaxPool,
  MaxPool3D,
  Relu6,
  getKernel,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The backends whose kernels are fixed here, and the kernels fixed on each. */
const FIXES: Record<'cpu' | 'wasm', { elementwise: string[]; pooling: string[] }> = {
  cpu: { elementwise: [], pooling: [MaxPool, MaxPool3D] },
  wasm: { elementwise: [Relu6, ClipByValue], pooling: [MaxPool, MaxPool3D] },
};

/** Reading and making float32 tensors on one backend. */
interface Access {
  /** The tensor's values (a live view on wasm: take it after every allocation). */
  values(info: TensorInfo): Float32Array;
  make(shape: number[], values: Float32Array): TensorInfo;
  dispose(info: TensorInfo): void;
}

interface CpuLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
  disposeData(dataId: object): void;
}

interface WasmLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): void;
}

function accessFor(backendName: 'cpu' | 'wasm', backend: object): Access {
  if (backendName === 'cpu') {
    const cpu = backend as CpuLike;
    return {
      values: (info) => cpu.data.get(info.dataId).values as Float32Array,
      make: (shape, values) => cpu.makeTensorInfo(shape, 'float32', values),
      dispose: (info) => cpu.disposeData(info.dataId),
    };
  }
  const wasm = backend as WasmLike;
  return {
    values: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
    make: (shape, values) => {
      const info = wasm.makeOutput(shape, 'float32');
      (wasm.typedArrayFromHeap(info) as Float32Array).set(values);
      return info;
    },
    dispose: (info) => wasm.disposeData(info.dataId),
  };
}

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: object; attrs?: NamedAttrMap };

/** Positions of NaN in a float32 tensor as a 0/1 mask, or null when there is none. */
function nanMask(values: Float32Array): Float32Array | null {
  let mask: Float32Array | null = null;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[i]) (mask ??= new Float32Array(values.length))[i] = 1;
  }
  return mask;
}

function elementwise(backendName: 'cpu' | 'wasm', inner: KernelFunc): KernelFunc {
  return (args) => {
    const out = inner(args) as TensorInfo;
    const x = (args as KernelArgs).inputs['x'];
    if (x === undefined || x.dtype !== 'float32') return out;
    const access = accessFor(backendName, args.backend);
    const mask = nanMask(access.values(x));
    if (mask === null) return out;
    const y = access.values(out);
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1) y[i] = Number.NaN;
    return out;
  };
}

function pooling(backendName: 'cpu' | 'wasm', inner: KernelFunc): KernelFunc {
  return (args) => {
    const out = inner(args) as TensorInfo;
    const { inputs } = args as KernelArgs;
    const x = inputs['x'];
    if (x === undefined || x.dtype !== 'float32') return out;
    const access = accessFor(backendName, args.backend);
    const mask = nanMask(access.values(x));
    if (mask === null) return out;
    // Pool the NaN mask with the same kernel: a window holding a NaN has a maximum of 1.
    const maskTensor = access.make([...x.shape], mask);
    const pooled = inner({ ...args, inputs: { ...inputs, x: maskTensor } }) as TensorInfo;
    const hit = access.values(pooled);
    const y = access.values(out);
    for (let i = 0; i < hit.length; i++) if (hit[i]! > 0) y[i] = Number.NaN;
    access.dispose(maskTensor);
    access.dispose(pooled);
    return out;
  };
}

const installed = new WeakSet<KernelFunc>();

/** Kernels that already propagate NaN themselves, so wrapping them would only add a scan. */
const propagating = new WeakSet<KernelFunc>();

/**
 * Declares that a kernel function puts NaN where this module's wrappers would (e.g. a faster
 * replacement kernel), so {@link registerNaNPropagation} leaves it unwrapped.
 */
export function markPropagatesNaN(kernelFunc: KernelFunc): void {
  propagating.add(kernelFunc);
}

function wrap(
  kernelName: string,
  backendName: 'cpu' | 'wasm',
  make: (name: 'cpu' | 'wasm', inner: KernelFunc) => KernelFunc,
): void {
  const original = getKernel(kernelName, backendName);
  if (original == null || installed.has(original.kernelFunc) || propagating.has(original.kernelFunc)) return;
  const kernelFunc = make(backendName, original.kernelFunc);
  installed.add(kernelFunc);
  unregisterKernel(kernelName, backendName);
  registerKernel({ ...original, kernelFunc });
}

/**
 * Makes the kernels of `backendName` that swallow NaN propagate it (see the module comment).
 * Call after the backend's package is imported; idempotent; other backends are left alone.
 */
export function registerNaNPropagation(backendName: string): void {
  if (backendName !== 'cpu' && backendName !== 'wasm') return;
  const fixes = FIXES[backendName];
  for (const name of fixes.elementwise) wrap(name, backendName, elementwise);
  for (const name of fixes.pooling) wrap(name, backendName, pooling);
}
