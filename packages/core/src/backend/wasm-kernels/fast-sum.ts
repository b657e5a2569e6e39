/**
 * Speed fix for the WASM backend's own Sum kernel when it reduces LEADING axes of a float32
 * tensor, e.g. a bias gradient: dy [128, 26, 26, 32] summed over [0, 1, 2]. The backend first
 * transposes the reduced axes to the end (a full copy through a slow general transpose) and then
 * sums rows; here the rows are added as 4-lane vectors by the SIMD loop `column_sum`
 * (simd-kernels.ts) straight from the input, in blocks (on the tile pool's threads) whose partial
 * sums are added in float64 in block order (so the result is at least as accurate as the backend's
 * sequential float32 sum, and the same on any number of threads).
 * Other reductions, dtypes, or a trailing size that is not a multiple of 4 use the original kernel.
 */
import { Sum, backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import { blockShare, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import { simdKernelsFor } from './simd-kernels.js';
import { asWasmBackend, floatView, heapAddress, release } from './wasm-backend.js';

/** Rows summed per SIMD call: short enough that float32 partial sums stay accurate. */
const BLOCK_ROWS = 256;

/** How many leading axes `axis` reduces when it is exactly [0, k) (k ≥ 1), else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set(util.parseAxisParam(axis, new Array<number>(rank).fill(1)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length === rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

function sum(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const x = args.inputs['x'] as TensorInfo;
  const attrs = args.attrs ?? {};
  if (x.dtype !== 'float32') return inner(args);
  const reduced = leadingAxes(attrs['axis'] as number | number[], x.shape.length);
  const rows = util.sizeFromShape(x.shape.slice(0, reduced));
  const width = util.sizeFromShape(x.shape.slice(reduced));
  if (reduced === 0 || width === 0 || width % 4 !== 0 || rows === 0) return inner(args);
  const backend = asWasmBackend(args.backend, Sum);
  const simd = simdKernelsFor(backend);
  if (simd === null) return inner(args);
  const keptShape = x.shape.slice(reduced);
  const outShape =
    attrs['keepDims'] === true ? backend_util.expandShapeToKeepDim(keptShape, [...Array(reduced).keys()]) : keptShape;
  const out = backend.makeOutput(outShape, 'float32');
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const partials = backend.makeOutput([blocks, width], 'float32');
  // Addresses and views only after every allocation (heap growth detaches views).
  const partialView = floatView(backend, partials);
  partialView.fill(0);
  const partialAt = partialView.byteOffset;
  const xAt = heapAddress(backend, x);
  // Each block's rows into its own partial row (runs of blocks on the tile pool's threads: one
  // block is a few microseconds, less than claiming it from the pool costs)…
  const pool = tilePoolFor(rows * width);
  const job = loopJob(pool, simd, 'column_sum', blockShare(blocks, pool));
  for (let b = 0; b < blocks; b++) {
    const first = b * BLOCK_ROWS;
    job.call(partialAt + 4 * b * width, xAt + 4 * first * width, Math.min(BLOCK_ROWS, rows - first), width / 4);
  }
  job.run();
  // …then the partials in block order, in float64: the same sum on any number of threads.
  const total = new Float64Array(width);
  const partialSums = floatView(backend, partials);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < width; i++) total[i] += partialSums[b * width + i]!;
  }
  floatView(backend, out).set(total);
  release(backend, partials);
  return out;
}

/** Replaces the 'wasm' Sum with the leading-axes fast path above (idempotent). */
export function registerWasmFastSum(): void {
  wrapKernel('registerWasmFastSum', Sum, 'wasm', sum);
}
