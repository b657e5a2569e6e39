/**
 * Einsum for the WASM backend: one- and two-operand equations, executed with the wasm
 * backend's own Sum, Transpose, Reshape and BatchMatMul kernels (see einsum-equation.ts for
 * what is supported; other equations raise an error naming the equation).
 */
import { Einsum } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { planEinsum, type OperandPlan } from './einsum-equation.js';
import {
  asWasmBackend,
  release,
  wasmMatMul,
  wasmReshape,
  wasmSum,
  wasmTranspose,
  type WasmBackend,
} from './wasm-backend.js';

function isIdentity(perm: number[]): boolean {
  return perm.every((axis, i) => axis === i);
}

/** Applies sum then permutation; returns a tensor the caller owns (refcount taken). */
function sumAndPermute(backend: WasmBackend, x: TensorInfo, sumAxes: number[], perm: number[]): TensorInfo {
  const summed = sumAxes.length > 0 ? wasmSum(backend, x, sumAxes) : wasmReshape(backend, x, x.shape);
  if (isIdentity(perm)) return summed;
  const permuted = wasmTranspose(backend, summed, perm);
  release(backend, summed);
  return permuted;
}

function toMatrix(backend: WasmBackend, x: TensorInfo, plan: OperandPlan): TensorInfo {
  const permuted = sumAndPermute(backend, x, plan.sumAxes, plan.perm);
  const matrix = wasmReshape(backend, permuted, plan.matrixShape);
  release(backend, permuted);
  return matrix;
}

function einsum(args: {
  inputs: TensorInfo[] | Record<string, TensorInfo>;
  backend: object;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const backend = asWasmBackend(args.backend, Einsum);
  const equation = (args.attrs ?? {})['equation'];
  if (typeof equation !== 'string')
    throw new Error(`Einsum: attr 'equation' must be a string, got ${String(equation)}.`);
  const operands = Array.isArray(args.inputs) ? args.inputs : Object.values(args.inputs);
  const nonFloat = operands.find((t) => t.dtype !== 'float32');
  if (nonFloat !== undefined && operands.length === 2) {
    // The wasm BatchMatMul kernel is float32-only.
    throw new Error(`Einsum: '${equation}' on wasm needs float32 operands, got '${nonFloat.dtype}'; cast first.`);
  }
  const plan = planEinsum(
    equation,
    operands.map((t) => t.shape),
  );
  const [first, second] = operands as [TensorInfo, TensorInfo | undefined];
  if (plan.b === null || second === undefined) {
    const result = sumAndPermute(backend, first, plan.a.sumAxes, plan.outputPerm);
    return { dataId: result.dataId, dtype: result.dtype, shape: plan.outputShape };
  }
  const a = toMatrix(backend, first, plan.a);
  const b = toMatrix(backend, second, plan.b);
  const product = wasmMatMul(backend, a, b);
  release(backend, a, b);
  const unflattened = wasmReshape(backend, product, plan.productShape);
  release(backend, product);
  if (isIdentity(plan.outputPerm)) {
    return { dataId: unflattened.dataId, dtype: unflattened.dtype, shape: plan.outputShape };
  }
  const result = wasmTranspose(backend, unflattened, plan.outputPerm);
  release(backend, unflattened);
  return result;
}

/** Kernel registration for the 'wasm' backend. */
export const einsumConfig: KernelConfig = {
  kernelName: Einsum,
  backendName: 'wasm',
  kernelFunc: einsum as unknown as KernelFunc,
};
