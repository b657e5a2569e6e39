/**
 * Speed fix for the WASM backend's Identity kernel and its Cast to the same dtype, which copy
 * their input into a new buffer. TF.js runs Identity far more often than user code asks for it:
 * the engine clones (Identity) every tensor a gradient saves for the backward pass, and
 * `tf.clone` and same-dtype casts copy too — ~50 copies per Dense training step, ~600 per LSTM
 * step, weight-sized ones included. Tensors are immutable, so the result can share the input's
 * buffer: the kernel increments the buffer's reference count, as the wasm Reshape kernel (and the
 * cpu backend's Identity and Cast) already do. String tensors and real casts go to the stock kernels.
 */
import { Cast, Identity, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const installed = new WeakSet<KernelFunc>();

/** The input as the output, sharing its buffer, when `shareable(x)`; else the stock kernel. */
function replace(kernelName: string, shareable: (x: TensorInfo, attrs: Record<string, unknown>) => boolean): void {
  const original = getKernel(kernelName, 'wasm');
  if (original == null)
    throw new Error(
      `registerWasmZeroCopyIdentity: no '${kernelName}' kernel for 'wasm'; import @tensorflow/tfjs-backend-wasm first.`,
    );
  if (installed.has(original.kernelFunc)) return;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs['x'] as TensorInfo;
    const backend = args.backend as { incRef?: (dataId: object) => void };
    if (x.dtype === 'string' || typeof backend.incRef !== 'function' || !shareable(x, args.attrs ?? {}))
      return inner(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  installed.add(kernelFunc);
  unregisterKernel(kernelName, 'wasm');
  registerKernel({ ...original, kernelFunc });
}

/** Replaces the 'wasm' Identity, and Cast to the input's own dtype, with buffer sharing (idempotent). */
export function registerWasmZeroCopyIdentity(): void {
  replace(Identity, () => true);
  replace(Cast, (x, attrs) => attrs['dtype'] === x.dtype);
}
