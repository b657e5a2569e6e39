/**
 * Speed fix for float32 matrix products on the WASM backend, e.g. an LSTM's per-gate input
 * projection with recurrent dropout (Keras implementation 1): per step four products
 * `(x⊙m_g)·K_g` of `[2560, 128]×[128, 64]`, four `dz_g·K_gᵀ` and four kernel gradients
 * `(x⊙m_g)ᵀ·dz_g`. The wrapped path hands the right operand to XNNPACK, which packs it afresh at
 * every call (it is a new tensor each step, and XNNPACK's packing is slow: ~0.55 of the ~1.9 ms
 * of such a kernel gradient), then runs at ~29 GFLOP/s.
 *
 * Here B is copied into panels of 16 columns (`copy_panels`, a plain SIMD copy) and the loops
 * `product_tile_{2,1}x16_strided` (simd-kernels.ts) form 2×16 register tiles of the output (two
 * rows keep every vector in a register). A transposed operand is first copied upright by the
 * (fast) wasm Transpose. Measured best-of against the wrapped path, fresh operands: the LSTM
 * shapes above 1.37/1.29/1.45 ms against 1.51/1.52/2.13, B0's `xᵀ·dz [2560,128]ᵀ×[2560,256]` 5.3
 * against 8.1, Dense `[128,784]×[784,512]` 3.0 against 4.0, `1024³` 59 against 71 (before the
 * tiles fused multiply-adds; with them, Dense `[128,784]×[784,512]` 2.6 ms, ~40 GFLOP/s). Each
 * output element is one dot product over K in order: with separate multiplies and adds exactly
 * XNNPACK's floats, with fused ones (../wasm-simd/fused-multiply-add.ts) within float32 rounding
 * of them. Taken for float32 matrices (leading dimensions of 1) whose N is a multiple of 16 and
 * large enough products ({@link tiledProductDims}); everything else goes to the wrapped kernel.
 * Without SIMD access to the heap the wrapped kernel runs.
 *
 * On a threaded backend the tiles run on every thread (wasm-threads/tile-pool.ts): blocks of row
 * pairs go to the pool's workers and the calling thread, still one dot product per element in the
 * same order, so the floats are those of one thread. Measured on 2 threads (2-core machine,
 * interleaved medians of whole kernel calls, idle): Dense `[128,784]×[784,512]` 1.9 ms against
 * XNNPACK's threaded kernel 2.5, `[128,512]×[512,512]` 1.6 against 1.8, a filter gradient's
 * `[288,15488]×[15488,64]` 10.6 against 10.9, a transposed B (`dy·Wᵀ`) 2.0 against 2.0; with a
 * transposed A (`xᵀ·dy` `[784,128]ᵀ×[128,512]` 2.6 against 2.6, `[512,128]ᵀ×[128,512]` 1.8
 * against 1.75) XNNPACK is as fast or faster. So with a pool and separate multiplies and adds the
 * tiles take the products they cover except those with a transposed A; a product XNNPACK would
 * run on its threads otherwise goes there. Fused tiles take every product they cover: their floats
 * differ from XNNPACK's, and must not depend on the thread count.
 */
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { runsOnThreadPool } from '../wasm-threads/pool-switch.js';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { activeTilePool, blockShare, loopJob, tilePoolFor, type TilePool } from '../wasm-threads/tile-pool.js';
import { simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { asWasmBackend, heapAddress, release, wasmTranspose, type WasmBackend } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with every product on the wrapped kernel (for comparisons in tests and benchmarks). */
export function withoutTiledMatMul<T>(fn: () => T): T {
  return fix.without(fn);
}

/** Below this many multiply-adds the product is too small for the difference to matter. */
const MIN_WORK = 1 << 18;

/** `[M, K, N]` of `op(A)·op(B)` when the tiles compute it, else null. */
export function tiledProductDims(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): [number, number, number] | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const rank = a.shape.length;
  if (rank < 2 || b.shape.length !== rank) return null;
  if (a.shape.slice(0, -2).some((d) => d !== 1) || b.shape.slice(0, -2).some((d) => d !== 1)) return null;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k, n] = [transposeA ? a1 : a0, transposeA ? a0 : a1, transposeB ? b0 : b1];
  // Mismatched inner sizes go to the wrapped kernel, which refuses them with its own message.
  if ((transposeB ? b1 : b0) !== k) return null;
  if (m === 0 || k === 0 || n === 0 || n % 16 !== 0 || m * k * n < MIN_WORK) return null;
  return [m, k, n];
}

/** The permutation that swaps the last two axes. */
function swapLastTwo(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i));
}

/** Copies B `[K, 16·panels]` (rows `srcStride` bytes apart) into `panels` contiguous `[K, 16]` panels at `dst`. */
export function copyIntoPanels(
  pool: TilePool | null,
  simd: SimdKernels,
  dst: number,
  src: number,
  k: number,
  panels: number,
  srcStride: number,
): void {
  const threads = pool?.threads ?? 1;
  const job = loopJob(pool, simd, 'copy_panels', blockShare(panels, pool));
  if (threads === 1) job.call(dst, src, k, panels, srcStride);
  else for (let j = 0; j < panels; j++) job.call(dst + 64 * k * j, src + 64 * j, k, 1, srcStride);
  job.run();
}

/** Where a tiled product's operands are in the heap (byte addresses) and its sizes. */
export interface ProductTiles {
  /** out `[M, N]`, rows 4N bytes apart; the tiles add into it. */
  out: number;
  /** A's element (r, p) at a + r·aRowStep + p·aStep: `[M, K]` upright (4K, 4) or stored transposed as `[K, M]` (4, 4M). */
  a: number;
  aRowStep: number;
  aStep: number;
  /** B's panel j of 16 columns starts at b + j·panelStep; its rows are bStride bytes apart. */
  b: number;
  bStride: number;
  panelStep: number;
  m: number;
  k: number;
  n: number;
}

/**
 * out += A·B by 2×16 tiles (a 1×16 tile for an odd last row), row pair by row pair and panel by
 * panel (`product_rows`), or out = A·B (`product_rows_store`); on a pool, blocks of row pairs go to
 * its threads. Each output element is one dot product over K in order, whichever thread computes it.
 */
export function runProductTiles(
  pool: TilePool | null,
  simd: SimdKernels,
  p: ProductTiles,
  loop: 'product_rows' | 'product_rows_store' = 'product_rows',
): void {
  const { out, a, aRowStep, aStep, b, bStride, panelStep, m, k, n } = p;
  const panels = n / 16;
  const threads = pool?.threads ?? 1;
  // On one thread blocks serve nothing: one call takes every row.
  const rowsPerBlock = threads === 1 ? m : blockShare(m, pool, 2);
  const job = loopJob(pool, simd, loop, 1);
  // Output rows 4N bytes apart.
  for (let r = 0; r < m; r += rowsPerBlock)
    job.call(
      out + 4 * r * n,
      a + r * aRowStep,
      aRowStep,
      aStep,
      b,
      bStride,
      k,
      4 * n,
      Math.min(rowsPerBlock, m - r),
      panels,
      panelStep,
    );
  job.run();
}

/** The product `op(A)·op(B)` by 2×16 tiles (A is `[M, K]` and B `[K, N]` once upright), or null without SIMD. */
function tiledProduct(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  dims: [number, number, number],
): TensorInfo | null {
  const simd = simdKernelsFor(backend);
  if (simd === null) return null;
  const [m, k, n] = dims;
  const temporaries: TensorInfo[] = [];
  try {
    const upright = (x: TensorInfo, transposed: boolean): TensorInfo => {
      if (!transposed) return x;
      const copy = wasmTranspose(backend, x, swapLastTwo(x.shape.length));
      temporaries.push(copy);
      return copy;
    };
    // (Reading a transposed A in place, with strided tiles, measured slower than this copy.)
    const aUp = upright(a, transposeA);
    const bUp = upright(b, transposeB);
    const panels = n / 16;
    // B is re-laid as panels of 16 columns, each [K, 16] contiguous, so that a tile's strip of B
    // streams through the cache (rows of a wide B are far apart).
    const packed = panels > 1 ? backend.makeOutput([k * n], 'float32') : null;
    if (packed !== null) temporaries.push(packed);
    const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
    // Addresses only after every allocation (heap growth detaches views).
    const outAt = heapAddress(backend, out);
    const aAt = heapAddress(backend, aUp);
    let bAt = heapAddress(backend, bUp);
    let bStride = 4 * n;
    let panelStep = 64;
    const pool = tilePoolFor(m * k * n);
    if (packed !== null) {
      const packedAt = heapAddress(backend, packed);
      copyIntoPanels(tilePoolFor(2 * k * n), simd, packedAt, bAt, k, panels, 4 * n);
      [bAt, bStride, panelStep] = [packedAt, 64, 64 * k];
    }
    // The tiles store their sums: the output needs no zeroing (a JS fill of the heap is slow when
    // the heap is shared, ~8× a plain one).
    const p = { out: outAt, a: aAt, aRowStep: 4 * k, aStep: 4, b: bAt, bStride, panelStep, m, k, n };
    runProductTiles(pool, simd, p, 'product_rows_store');
    return out;
  } finally {
    release(backend, ...temporaries);
  }
}

/**
 * Whether the tiles should take a product that XNNPACK would run on its thread pool: when no
 * thread pool would run it anyway, or when the tiles have a pool of their own and A is upright
 * (measured per shape class, see the module comment: a transposed A, e.g. a Dense kernel
 * gradient `xᵀ·dy`, ran as fast or faster on XNNPACK's threads).
 */
function tilesBeatThreadPool([m, k, n]: [number, number, number], transposeA: boolean): boolean {
  // Fused tiles (fused-multiply-add.ts) give other floats than XNNPACK (within rounding), so they
  // take every product they cover, whatever the thread count: the results never depend on it.
  if (fusedMultiplyAdd() || !runsOnThreadPool(m * k * n)) return true;
  const pool = activeTilePool();
  return pool !== null && pool.threads > 1 && !transposeA;
}

/**
 * Wraps the registered 'wasm' BatchMatMul (call after the other BatchMatMul fixes, so that this
 * one sees each product first; idempotent). Throws if there is no wasm BatchMatMul to wrap.
 */
export function registerWasmTiledMatMul(): void {
  wrapKernel('registerWasmTiledMatMul', BatchMatMul, 'wasm', (args, inner) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const a = args.inputs['a'] as TensorInfo;
    const b = args.inputs['b'] as TensorInfo;
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    const dims = fix.on ? tiledProductDims(a, b, transposeA, transposeB) : null;
    if (dims === null || !tilesBeatThreadPool(dims, transposeA)) return inner(args);
    return tiledProduct(asWasmBackend(args.backend, BatchMatMul), a, b, transposeA, transposeB, dims) ?? inner(args);
  });
}
