/**
 * Speed fix for the WASM backend's own Identity kernel, which copies its input. TF.js runs
 * Identity (engine.clone) on every input and output a gradient saves for the backward pass, so a
 * training step of the MNIST convnet copies ~46 activations (~5 ms). Tensor data is immutable in
 * TF.js, so, as the cpu backend and the wasm Reshape kernel do, the output shares the input's data
 * and only its reference count grows. (A kernel that ever wrote into an input in place would have
 * to check the reference count first, on cpu as much as here.)
 */
import { Identity, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const installed = new WeakSet<KernelFunc>();

/** The wasm backend's reference counting (a public method of BackendWasm in tfjs-backend-wasm 4.x). */
interface RefCounted {
  incRef(dataId: object): void;
}

/** Replaces the 'wasm' Identity with a zero-copy one for non-string tensors (idempotent). */
export function registerWasmFastIdentity(): void {
  const original = getKernel(Identity, 'wasm');
  if (original == null)
    throw new Error(
      `registerWasmFastIdentity: no '${Identity}' kernel for 'wasm'; import @tensorflow/tfjs-backend-wasm first.`,
    );
  if (installed.has(original.kernelFunc)) return;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs['x'] as TensorInfo;
    const backend = args.backend as Partial<RefCounted>;
    if (x.dtype === 'string' || typeof backend.incRef !== 'function') return inner(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  installed.add(kernelFunc);
  unregisterKernel(Identity, 'wasm');
  registerKernel({ ...original, kernelFunc });
}
