/**
 * Row copies on the WASM heap by the SIMD loop `copy_rows` (simd-kernels.ts), large ones cut in
 * blocks of rows on the tile pool: padding rows out to a common width, filling a buffer with a
 * repeated row (a bias) or zeros (a source stride of 0), dropping padding columns again.
 */
import { BLOCKS_PER_THREAD, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import type { SimdKernels } from './simd-kernels.js';

/** One `copy_rows` call: `rows` rows of `groups` 4-float vectors (byte addresses and strides; srcStride 0 repeats one row). */
export interface RowCopy {
  dst: number;
  src: number;
  rows: number;
  groups: number;
  dstStride: number;
  srcStride: number;
}

/**
 * Runs row copies with `copy_rows` (`copy_rows_relu` when `relu`: max(v, 0) on the way), blocks of
 * rows on the tile pool (unless `onPool` is false).
 */
export function runRowCopies(simd: SimdKernels, copies: readonly RowCopy[], relu = false, onPool = true): void {
  const work = copies.reduce((total, c) => total + 8 * c.rows * c.groups, 0);
  const pool = onPool ? tilePoolFor(work) : null;
  const pieces = Math.max(1, Math.ceil((BLOCKS_PER_THREAD * (pool?.threads ?? 1)) / copies.length));
  const job = loopJob(pool, simd, relu ? 'copy_rows_relu' : 'copy_rows', 1);
  for (const c of copies) {
    const per = Math.ceil(c.rows / pieces);
    for (let row = 0; row < c.rows; row += per) {
      job.call(
        c.dst + row * c.dstStride,
        c.src + row * c.srcStride,
        Math.min(per, c.rows - row),
        c.groups,
        c.dstStride,
        c.srcStride,
      );
    }
  }
  job.run();
}

/** The zero row {@link zeroFill} copies from: callers keep this many zero floats on the heap. */
export const ZERO_ROW_FLOATS = 256;

/**
 * Zeroes `bytes` bytes at `dst` (a multiple of 16), given {@link ZERO_ROW_FLOATS} zero floats at
 * `zeros`, in blocks on the tile pool unless `onPool` is false.
 */
export function zeroFill(simd: SimdKernels, dst: number, bytes: number, zeros: number, onPool = true): void {
  const rowBytes = 4 * ZERO_ROW_FLOATS;
  const rows = Math.floor(bytes / rowBytes);
  const rest = bytes - rows * rowBytes;
  const copies = [{ dst, src: zeros, rows, groups: rowBytes / 16, dstStride: rowBytes, srcStride: 0 }];
  if (rest > 0)
    copies.push({ dst: dst + rows * rowBytes, src: zeros, rows: 1, groups: rest / 16, dstStride: 0, srcStride: 0 });
  runRowCopies(simd, copies, false, onPool);
}
