/**
 * Correctness fix for the CPU backend's MaxPool3DGrad (TF.js 4.22): with `same` padding that is
 * uneven (more padding at the end) it routes the output gradient to the wrong input positions
 * (seen: off by up to 190 against Keras on a 3×5×4 input with pool (2, 3, 2), strides (2, 2, 1);
 * pooling-backends.test.ts). Replaced by the window walk the wasm fix uses: dy goes to each
 * window's first maximum, found exactly as the forward pass finds it.
 */
import { MaxPool3DGrad } from '@tensorflow/tfjs-core';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import type { DataId, DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { forEachWindowMax, poolInfo, type Shape5 } from '../pool3d-windows.js';

/** The members of the CPU backend this kernel uses (public members of `MathBackendCPU`). */
interface CpuBackend {
  readSync(dataId: DataId): unknown;
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
}

function readFloats(backend: CpuBackend, info: TensorInfo): Float32Array | undefined {
  const values = backend.readSync(info.dataId);
  return values instanceof Float32Array ? values : undefined;
}

function maxPool3DGrad(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const dy = args.inputs['dy'] as TensorInfo;
  const input = args.inputs['input'] as TensorInfo;
  const backend = args.backend as Partial<CpuBackend>;
  if (
    typeof backend.readSync !== 'function' ||
    typeof backend.makeTensorInfo !== 'function' ||
    input.shape.length !== 5
  )
    return inner(args);
  const cpu = backend as CpuBackend;
  const x = readFloats(cpu, input);
  const g = readFloats(cpu, dy);
  if (x === undefined || g === undefined) return inner(args);
  const info = poolInfo(input.shape, args.attrs ?? {});
  const dx = new Float32Array(x.length);
  forEachWindowMax(x, input.shape as Shape5, info, (outBase, where) => {
    for (let c = 0; c < where.length; c++) {
      const at = where[c]!;
      if (at >= 0) dx[at] = dx[at]! + g[outBase + c]!;
    }
  });
  return cpu.makeTensorInfo([...input.shape], 'float32', dx);
}

/** Replaces the 'cpu' MaxPool3DGrad with the window walk above (idempotent). */
export function registerCpuCorrectnessFixes(): void {
  wrapKernel('registerCpuCorrectnessFixes', MaxPool3DGrad, 'cpu', maxPool3DGrad);
}
