/**
 * Correctness fix for the WASM backend's MaxPool3D and MaxPool3DGrad (TF.js 4.22): its C++ loop
 * starts the running maximum at FLT_MIN (the smallest positive float, 1.2e-38) rather than
 * -infinity, so a window whose values are all negative pools to 1.2e-38 and its gradient goes
 * nowhere. A real tf.keras 2 Conv3D → MaxPooling3D model predicted wrong by up to 0.19.
 *
 * Both kernels are replaced by one NDHWC loop on the wasm heap: for each output position the
 * inner loop runs over the contiguous channels, keeping the first maximum (TensorFlow's tie
 * rule; a NaN wins so it propagates). The gradient adds dy at the position of that maximum.
 */
import { MaxPool3D, MaxPool3DGrad } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { forEachWindowMax, poolInfo, type Shape5 } from '../pool3d-windows.js';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import { asWasmBackend, floatView } from './wasm-backend.js';

function maxPool3D(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const x = args.inputs['x'] as TensorInfo;
  const attrs = args.attrs ?? {};
  const format = attrs['dataFormat'];
  if (x.dtype !== 'float32' || x.shape.length !== 5 || (format !== undefined && format !== 'NDHWC')) return inner(args);
  const backend = asWasmBackend(args.backend, MaxPool3D);
  const info = poolInfo(x.shape, attrs);
  const out = backend.makeOutput([...info.outShape], 'float32');
  const y = floatView(backend, out);
  const input = floatView(backend, x);
  forEachWindowMax(input, x.shape as Shape5, info, (outBase, where) => {
    for (let c = 0; c < where.length; c++) y[outBase + c] = where[c]! >= 0 ? input[where[c]!]! : -Infinity;
  });
  return out;
}

function maxPool3DGrad(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const dy = args.inputs['dy'] as TensorInfo;
  const input = args.inputs['input'] as TensorInfo;
  if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 5) return inner(args);
  const backend = asWasmBackend(args.backend, MaxPool3DGrad);
  const info = poolInfo(input.shape, args.attrs ?? {});
  const out = backend.makeOutput([...input.shape], 'float32');
  const dx = floatView(backend, out);
  const x = floatView(backend, input);
  const g = floatView(backend, dy);
  dx.fill(0);
  forEachWindowMax(x, input.shape as Shape5, info, (outBase, where) => {
    for (let c = 0; c < where.length; c++) {
      const at = where[c]!;
      if (at >= 0) dx[at] = dx[at]! + g[outBase + c]!;
    }
  });
  return out;
}

/** Replaces the 'wasm' MaxPool3D and MaxPool3DGrad with the loops above (idempotent). */
export function registerWasmMaxPool3DFix(): void {
  wrapKernel('registerWasmMaxPool3DFix', MaxPool3D, 'wasm', maxPool3D);
  wrapKernel('registerWasmMaxPool3DFix', MaxPool3DGrad, 'wasm', maxPool3DGrad);
}
