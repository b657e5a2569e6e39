/**
 * Speed fix for the WASM backend's Transpose kernel when it swaps the last two axes (a matrix
 * transpose, possibly batched) of a 4-byte tensor whose last axis is a multiple of 4. The stock
 * kernel walks the output one element at a time with strided reads: `[2560, 128]` takes ~0.9 ms
 * (~1.4 GB/s). Every transposed BatchMatMul operand goes through it (fast-transposed-matmul.ts), e.g.
 * the masked input `(x⊙m)ᵀ` of each LSTM gate's kernel gradient. Here the SIMD loop
 * `gather_block_transposing` (simd-kernels.ts) moves 4×4 blocks with shuffles, over bands of rows
 * that stay in cache. A pure copy: results are bit-identical. Other permutations, dtypes or
 * shapes use the stock kernel.
 */
import { Transpose, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { simdKernelsFor } from './simd-kernels.js';
import { asWasmBackend, heapAddress } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with every Transpose on the stock kernel (for comparisons in tests and benchmarks). */
export function withoutFastMatrixTranspose<T>(fn: () => T): T {
  return fix.without(fn);
}

/** Source rows per band: a band of `BAND_BYTES` of source (and its transposed image) stays in cache. */
const BAND_BYTES = 16 * 1024;

/** `[batch, rows, cols]` when `perm` swaps the last two axes and keeps the others in place, else null. */
export function matrixTransposeDims(
  shape: readonly number[],
  perm: readonly number[],
): [number, number, number] | null {
  const rank = shape.length;
  if (rank < 2 || perm.length !== rank) return null;
  for (let i = 0; i < rank - 2; i++) if (perm[i] !== i) return null;
  if (perm[rank - 2] !== rank - 1 || perm[rank - 1] !== rank - 2) return null;
  return [util.sizeFromShape(shape.slice(0, -2)), shape[rank - 2]!, shape[rank - 1]!];
}

/**
 * Wraps the registered 'wasm' Transpose (idempotent; call after the other Transpose fixes).
 * Throws if there is no wasm Transpose to wrap.
 */
export function registerWasmFastMatrixTranspose(): void {
  wrapKernel('registerWasmFastMatrixTranspose', Transpose, 'wasm', (args, inner) => {
    const x = args.inputs['x'] as TensorInfo;
    const perm = (args.attrs ?? {})['perm'] as number[];
    const dims = fix.on && (x.dtype === 'float32' || x.dtype === 'int32') ? matrixTransposeDims(x.shape, perm) : null;
    // Columns become 4-lane channel groups; tiny matrices are not worth a SIMD call per band.
    if (dims === null || dims[2] % 4 !== 0 || dims[1] < 4 || dims[0] * dims[1] * dims[2] < 4096) return inner(args);
    const backend = asWasmBackend(args.backend, Transpose);
    const simd = simdKernelsFor(backend);
    if (simd === null) return inner(args);
    const [batch, rows, cols] = dims;
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]!),
      x.dtype,
    );
    // Addresses only after the allocation (heap growth moves nothing, but detaches views).
    const src = heapAddress(backend, x);
    const dst = heapAddress(backend, out);
    const matrixBytes = 4 * rows * cols;
    const band = Math.max(4, Math.floor(BAND_BYTES / (4 * cols)) & ~3);
    for (let b = 0; b < batch; b++) {
      for (let r0 = 0; r0 < rows; r0 += band) {
        // out[b, c, r0 + r] = x[b, r0 + r, c]: channel c is source column c (4 bytes apart), position
        // r is a source row (4·cols bytes apart); destination channel rows are 4·rows bytes apart.
        simd.gather_block_transposing(
          dst + b * matrixBytes + 4 * r0,
          src + b * matrixBytes + 4 * r0 * cols,
          cols,
          1,
          Math.min(band, rows - r0),
          4 * rows,
          0,
          4,
          0,
          4 * cols,
        );
      }
    }
    return out;
  });
}
