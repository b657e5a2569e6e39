/**
 * Typed access to the parts of the TF.js WASM backend that the training kernels use.
 *
 * The WASM backend does not export its class type from its package entry point, so this
 * module describes the members we rely on structurally (they are public members of
 * `BackendWasm` in @tensorflow/tfjs-backend-wasm 4.x) and wraps calls to the backend's own
 * kernels (BatchMatMul, Transpose, Reshape, Sum) so intermediates can be freed eagerly.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The members of the WASM backend that these kernels use. */
export interface WasmBackend {
  /** Allocates a tensor on the wasm heap; its memory is NOT zeroed. */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A typed view of a tensor's heap memory. Invalid after any heap growth (i.e. any allocation). */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Decrements the reference count of a data id and frees it at zero. */
  disposeData(dataId: object, force?: boolean): boolean;
  /** Number of live data ids (used by leak checks). */
  numDataIds(): number;
}

/** Narrows the untyped `backend` a kernel receives to the WASM backend members we use. */
export function asWasmBackend(backend: object, kernelName: string): WasmBackend {
  const candidate = backend as Partial<WasmBackend>;
  if (
    typeof candidate.makeOutput !== 'function' ||
    typeof candidate.typedArrayFromHeap !== 'function' ||
    typeof candidate.disposeData !== 'function'
  ) {
    throw new Error(`${kernelName} (strata wasm kernel): expected the 'wasm' backend, got an incompatible backend.`);
  }
  return backend as WasmBackend;
}

/** A float32 view of a tensor's heap memory. Take it AFTER all allocations of this step. */
export function floatView(backend: WasmBackend, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new Error(`Expected a float32 tensor, got dtype '${info.dtype}' with shape [${info.shape.join(', ')}].`);
  }
  return view;
}

/** Runs another kernel registered for the 'wasm' backend and returns its single output. */
export function runWasmKernel(
  backend: WasmBackend,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (config == null) {
    throw new Error(`The wasm backend has no '${kernelName}' kernel; is @tensorflow/tfjs-backend-wasm loaded?`);
  }
  const result = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(result)) {
    throw new Error(`Expected one output from wasm kernel '${kernelName}', got ${result.length}.`);
  }
  return result;
}

/** Batched matrix product using the wasm backend's XNNPACK-backed BatchMatMul kernel. */
export function wasmMatMul(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA = false,
  transposeB = false,
): TensorInfo {
  return runWasmKernel(backend, 'BatchMatMul', { a, b }, { transposeA, transposeB });
}

/** Transposes with the wasm backend's Transpose kernel. The result is a new data id. */
export function wasmTranspose(backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return runWasmKernel(backend, 'Transpose', { x }, { perm });
}

/**
 * Reshapes without copying. The wasm Reshape kernel increments the reference count of the
 * shared data id, so the result must be released with `disposeData` like any other output.
 */
export function wasmReshape(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasmKernel(backend, 'Reshape', { x }, { shape });
}

/** Sums over `axis` with the wasm Sum kernel (keepDims false). */
export function wasmSum(backend: WasmBackend, x: TensorInfo, axis: number[]): TensorInfo {
  return runWasmKernel(backend, 'Sum', { x }, { axis, keepDims: false });
}

/** Releases intermediates created inside a kernel. */
export function release(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Normalizes a `[h, w] | n` attribute (strides, dilations). */
export function pair(value: number | [number, number] | undefined, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** The byte address of a tensor's first element in the wasm heap. */
export function heapAddress(backend: WasmBackend, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
