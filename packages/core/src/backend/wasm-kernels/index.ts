/**
 * Training kernels missing from @tensorflow/tfjs-backend-wasm 4.x, registered for 'wasm'.
 */
import { getKernel, registerKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { einsumConfig } from './einsum.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

import { registerWasmRowShiftConv2D } from './conv2d-by-row-shifts.js';
import { registerWasmFastConv2DBackpropInput } from './fast-conv2d-backprop-input.js';
import { registerWasmFastMaxPool } from './fast-max-pool.js';
import { registerWasmFastMaxPoolGrad } from './fast-max-pool-grad.js';
import { registerWasmFastSlice } from './fast-slice.js';
import { registerWasmFastSplit } from './fast-split.js';
import { registerWasmFastSum } from './fast-sum.js';
import { registerWasmFastTransposedMatMul } from './fast-transposed-matmul.js';
import { registerWasmFastGather } from './fast-gather.js';
import { registerWasmFastMatrixTranspose } from './fast-matrix-transpose.js';
import { registerWasmPackingAwareMatMul } from './packing-aware-matmul.js';
import { registerWasmTiledMatMul } from './tiled-matmul.js';
import { registerWasmZeroCopyIdentity } from './zero-copy-identity.js';
import { registerWasmMaxPool3DFix } from './max-pool-3d.js';

export {
  registerWasmRowShiftConv2D,
  registerWasmFastConv2DBackpropInput,
  registerWasmFastMaxPool,
  registerWasmFastMaxPoolGrad,
  registerWasmFastSlice,
  registerWasmFastSplit,
  registerWasmFastSum,
  registerWasmFastTransposedMatMul,
  registerWasmMaxPool3DFix,
};

/**
 * Replaces kernels the wasm backend ships but runs slowly on training shapes with faster
 * equivalents (see their files): BatchMatMul (transposed operands, operand order, SIMD tiles),
 * Conv2D / FusedConv2D and stride-1 Conv2DBackpropInput (direct loops and row-shift products on the
 * SIMD tiles), MaxPool, MaxPoolGrad, Sum over leading axes, contiguous SplitV and Slice, axis-0
 * GatherV2, matrix Transpose, and the copying Identity/Cast.
 * Call after `@tensorflow/tfjs-backend-wasm` is imported; idempotent.
 */
export function registerWasmSpeedFixes(): void {
  registerWasmFastTransposedMatMul();
  registerWasmRowShiftConv2D();
  registerWasmFastConv2DBackpropInput();
  registerWasmFastMaxPool();
  registerWasmFastMaxPoolGrad();
  registerWasmFastSum();
  registerWasmFastSplit();
  registerWasmFastSlice();
  registerWasmFastGather();
  registerWasmZeroCopyIdentity();
  registerWasmFastMatrixTranspose();
  // Products: each wraps the one before, so the last sees a product first (tiles, then the
  // packing-aware operand order, then the transposed-operand fix above).
  registerWasmPackingAwareMatMul();
  registerWasmTiledMatMul();
}

/**
 * Replaces wasm kernels that compute wrong results in @tensorflow/tfjs-backend-wasm 4.22:
 * MaxPool3D and MaxPool3DGrad, which treat windows of all-negative values as 1.2e-38 (see
 * max-pool-3d.ts). Call after `@tensorflow/tfjs-backend-wasm` is imported; idempotent.
 */
export function registerWasmCorrectnessFixes(): void {
  registerWasmMaxPool3DFix();
}

/** The kernels this module provides, in registration order. */
export const wasmTrainingKernelConfigs: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
];

/**
 * Registers Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
 * DepthwiseConv2dNativeBackpropInput, UnsortedSegmentSum and Einsum for the 'wasm' backend so
 * that convnets, separable convs and embeddings can be trained on it.
 *
 * Idempotent: a kernel already registered for 'wasm' (by an earlier call, or by a future
 * tfjs-backend-wasm that ships it) is left untouched. Safe to call before or after
 * `tf.setBackend('wasm')`; these kernels need no per-backend setup.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    if (getKernel(config.kernelName, config.backendName) == null) registerKernel(config);
  }
}
