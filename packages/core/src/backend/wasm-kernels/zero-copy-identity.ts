/**
 * Speed fix for the WASM backend's Identity kernel, its Cast to the same dtype and its Transpose
 * by the identity permutation, which all copy their input into a new buffer. TF.js runs Identity far more often than user code asks for it:
 * the engine clones (Identity) every tensor a gradient saves for the backward pass, and
 * `tf.clone` and same-dtype casts copy too — ~50 copies per Dense training step, ~600 per LSTM
 * step, weight-sized ones included. Tensors are immutable, so the result can share the input's
 * buffer: the kernel increments the buffer's reference count, as the wasm Reshape kernel (and the
 * cpu backend's Identity and Cast) already do. String tensors, real casts and real transposes go
 * to the stock kernels.
 */
import { Cast, Identity, Transpose } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { wrapKernel } from '../wrap-kernel.js';

/** The input as the output of shape `sharedShape(x)`, sharing its buffer, unless that is null: then the stock kernel. */
function replace(
  kernelName: string,
  sharedShape: (x: TensorInfo, attrs: Record<string, unknown>) => number[] | null,
): void {
  wrapKernel('registerWasmZeroCopyIdentity', kernelName, 'wasm', (args, inner) => {
    const x = args.inputs['x'] as TensorInfo;
    const backend = args.backend as { incRef?: (dataId: object) => void };
    const incRef = backend.incRef;
    const shape = x.dtype === 'string' || typeof incRef !== 'function' ? null : sharedShape(x, args.attrs ?? {});
    if (shape === null || incRef === undefined) return inner(args);
    incRef.call(backend, x.dataId);
    return { dataId: x.dataId, shape, dtype: x.dtype };
  });
}

/**
 * The shape when `perm` is the identity permutation, else null. A permutation that only moves
 * size-1 axes keeps the memory layout too, but must still copy: the wasm BatchMatMul caches its
 * XNNPACK operator (with the packed weights) by the weight's buffer id, not its shape, so a
 * `[75, 1]` weight and its `[1, 75]` transpose sharing one buffer would get each other's operator.
 */
export function layoutKeepingTransposeShape(shape: readonly number[], perm: readonly number[]): number[] | null {
  return perm.every((axis, i) => axis === i) ? [...shape] : null;
}

/**
 * Replaces the 'wasm' Identity, Cast to the input's own dtype, and Transpose by the identity
 * permutation, with buffer sharing (idempotent).
 */
export function registerWasmZeroCopyIdentity(): void {
  replace(Identity, (x) => x.shape);
  replace(Cast, (x, attrs) => (attrs['dtype'] === x.dtype ? x.shape : null));
  replace(Transpose, (x, attrs) => layoutKeepingTransposeShape(x.shape, attrs['perm'] as number[]));
}
