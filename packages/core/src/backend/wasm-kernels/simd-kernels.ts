/**
 * Small WebAssembly SIMD loops that run on the TF.js wasm backend's own heap (they import its
 * memory, a shared one too when the backend runs threads; the encoding is ../wasm-simd's), for
 * the training kernels XNNPACK does not cover: max pooling and its gradient, sums over leading
 * axes, the patch matrix of the convolution filter gradient, matrix product tiles and, in a form
 * for the tile pool's threads, the fused optimizer updates. Plain JS loops over the heap run at
 * ~1.5–10 ns per element; these run at memory speed.
 *
 * All addresses and strides are in bytes. Channel loops work on groups of 4 float32 lanes, so
 * callers use them only when the channel count is a multiple of 4.
 */
import type { WasmFunction } from '../wasm-simd/encoding.js';
import { backendMemory, heapModule } from '../wasm-simd/heap-module.js';
import { locals, op, params, range, seq } from '../wasm-simd/instructions.js';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { directConvOf } from './simd-direct-conv.js';
import { pooledOptimizerLoops } from './simd-optimizer-loops.js';
import {
  GATHER_LOOPS,
  gatherBlock,
  gatherBlockByPosition,
  gatherBlockTransposing,
  gatherImagesOf,
} from './simd-gather.js';
import { copyPanels, productRowsOf, productTileOf, stridedProductTiles } from './simd-product-tiles.js';
import type { WasmBackend } from './wasm-backend.js';

const { get, set, tee, i32 } = op;

/** Pushes origin + taps[t] + g: the address of lane group g of tap t. */
const tapAddress = (origin: number, taps: number, t: number, g: number): number[] =>
  seq(get(origin), get(taps), get(t), i32(2), op.shl, op.add, op.i32Load, op.add, get(g), op.add);

/**
 * For `count` windows, the i-th starting at origin + i·step with taps at origin + taps[t]:
 * out[g] = max over taps of the window's lane group g (NaN wins); out advances by one channel
 * vector per window. params: out, origin, taps, tapCount, groups, count, step
 */
// prettier-ignore
const poolMax: WasmFunction = {
  name: 'pool_max',
  params: params(7),
  locals: locals(4, 1), // 7 g, 8 t, 9 gEnd, 10 w; 11 m
  body: seq(
    get(4), i32(4), op.shl, set(9),
    range(10, i32(0), 5, seq(
      range(7, i32(0), 9, seq(
        get(1), get(2), op.i32Load, op.add, get(7), op.add, op.v128Load, set(11),
        range(8, i32(1), 3, seq(get(11), tapAddress(1, 2, 8, 7), op.v128Load, op.f32x4Max, set(11))),
        get(0), get(7), op.add, get(11), op.v128Store,
      ), 16),
      get(0), get(9), op.add, set(0),
      get(1), get(6), op.add, set(1),
    )),
  ),
};

/**
 * For `count` windows as in pool_max: dx[tap* + g] += dy[g] at the first maximum of each lane's
 * window (a NaN wins), where dx = x + delta; dy advances by one channel vector per window.
 * `pool_max_grad_tiling` stores instead of adding (dy or 0 into every tap), for windows that
 * cover each input exactly once, so dx needs no zeroing first.
 * params: delta, dy, origin, taps, tapCount, groups, count, step
 */
// prettier-ignore
const poolMaxGradOf = (accumulate: boolean): WasmFunction => ({
  name: accumulate ? 'pool_max_grad' : 'pool_max_grad_tiling',
  params: params(8),
  locals: locals(5, 5), // 8 g, 9 t, 10 gEnd, 11 a, 12 w; 13 best, 14 idx, 15 v, 16 m, 17 d
  body: seq(
    get(5), i32(4), op.shl, set(10),
    range(12, i32(0), 6, seq(
      range(8, i32(0), 10, seq(
        get(2), get(3), op.i32Load, op.add, get(8), op.add, op.v128Load, set(13),
        i32(0), op.i32x4Splat, set(14),
        range(9, i32(1), 4, seq(
          tapAddress(2, 3, 9, 8), op.v128Load, tee(15),
          get(13), op.f32x4Gt, get(15), get(15), op.f32x4Ne, op.v128Or, set(16),
          get(15), get(13), get(16), op.bitselect, set(13),
          get(9), op.i32x4Splat, get(14), get(16), op.bitselect, set(14),
        )),
        get(1), get(8), op.add, op.v128Load, set(17),
        range(9, i32(0), 4, seq(
          tapAddress(2, 3, 9, 8), get(0), op.add, tee(11),
          accumulate ? seq(get(11), op.v128Load) : [],
          get(17), get(14), get(9), op.i32x4Splat, op.i32x4Eq, op.v128And,
          accumulate ? op.f32x4Add : [], op.v128Store,
        )),
      ), 16),
      get(1), get(10), op.add, set(1),
      get(2), get(7), op.add, set(2),
    )),
  ),
});

/** acc[g] += Σ_r src[r, g] over `rows` rows of `groups` 4-lane groups. params: acc, src, rows, groups */
// prettier-ignore
const columnSum: WasmFunction = {
  name: 'column_sum',
  params: params(4),
  locals: locals(4, 0), // 4 r, 5 g, 6 gEnd, 7 p
  body: seq(
    get(3), i32(4), op.shl, set(6),
    get(1), set(7),
    range(4, i32(0), 2, seq(
      range(5, i32(0), 6, seq(
        get(0), get(5), op.add,
        get(0), get(5), op.add, op.v128Load,
        get(7), get(5), op.add, op.v128Load,
        op.f32x4Add, op.v128Store,
      ), 16),
      get(7), get(6), op.add, set(7),
    )),
  ),
};

/**
 * Copies `rows` rows of `groups` 4-lane groups from src (rows `srcStride` bytes apart) to dst
 * (`dstStride` apart; dst may be src), each lane clamped below at 0 (max(v, 0), NaN kept) for
 * `copy_rows_relu`: dropping a wide output's padding columns and applying a fused activation in one
 * pass. params: dst, src, rows, groups, dstStride, srcStride
 */
// prettier-ignore
const copyRowsOf = (relu: boolean): WasmFunction => ({
  name: relu ? 'copy_rows_relu' : 'copy_rows',
  params: params(6),
  locals: locals(5, 1), // 6 r, 7 g, 8 gEnd, 9 s, 10 d; 11 zero
  body: seq(
    get(3), i32(4), op.shl, set(8),
    i32(0), op.i32x4Splat, set(11),
    range(6, i32(0), 2, seq(
      get(1), get(6), get(5), op.mul, op.add, set(9),
      get(0), get(6), get(4), op.mul, op.add, set(10),
      range(7, i32(0), 8, seq(
        get(10), get(7), op.add,
        get(9), get(7), op.add, op.v128Load,
        relu ? seq(get(11), op.f32x4Max) : [],
        op.v128Store,
      ), 16),
    )),
  ),
});

/**
 * out = dy · step(y) over `byteLength` bytes (a multiple of 16): dy where y > 0, dy · 0 elsewhere
 * (±0, or NaN for an infinite or NaN dy), NaN where y is NaN — the floats of TF.js's
 * `mul(dy, step(y))`, a relu's gradient from its output, in one pass. params: out, dy, y, byteLength
 */
// prettier-ignore
const reluGrad: WasmFunction = {
  name: 'relu_grad',
  params: params(4),
  locals: locals(1, 3), // 4 p; 5 d, 6 v, 7 zero
  body: seq(
    i32(0), op.i32x4Splat, set(7),
    range(4, i32(0), 3, seq(
      get(1), get(4), op.add, op.v128Load, set(5),
      get(2), get(4), op.add, op.v128Load, set(6),
      get(0), get(4), op.add,
      // y > 0 ? dy : dy · 0, then NaN where y is NaN (y itself)
      get(6),
      get(5), get(5), get(7), op.f32x4Mul, get(6), get(7), op.f32x4Gt, op.bitselect,
      get(6), get(6), op.f32x4Ne, op.bitselect,
      op.v128Store,
    ), 16),
  ),
};

/** A strided product tile: params out, a, rowStep, pStep, dy, dyStride, count, outStride (see stridedProductTileOf). */
export type StridedTile = (
  out: number,
  a: number,
  rowStep: number,
  pStep: number,
  dy: number,
  dyStride: number,
  count: number,
  outStride: number,
) => void;

/** A gather loop over a run of images (see gatherImagesOf): gather_block's parameters, then these. */
export type GatherImages = (
  ...args: [...Parameters<SimdKernels['gather_block']>, images: number, dstImage: number, srcImage: number]
) => void;

/** The exported loops (see each function's comment for its parameters). */
export interface SimdKernels {
  /** The optimizer loops for the tile pool (simd-optimizer-loops.ts: scalars as float32 bits). */
  [pooled: `pooled_${string}`]: (...args: number[]) => void;
  pool_max(
    out: number,
    origin: number,
    taps: number,
    tapCount: number,
    groups: number,
    count: number,
    step: number,
  ): void;
  pool_max_grad_tiling: SimdKernels['pool_max_grad'];
  pool_max_grad(
    delta: number,
    dy: number,
    origin: number,
    taps: number,
    tapCount: number,
    groups: number,
    count: number,
    step: number,
  ): void;
  column_sum(acc: number, src: number, rows: number, groups: number): void;
  copy_rows(dst: number, src: number, rows: number, groups: number, dstStride: number, srcStride: number): void;
  copy_rows_relu: SimdKernels['copy_rows'];
  relu_grad(out: number, dy: number, y: number, byteLength: number): void;
  conv_direct(
    out: number,
    x: number,
    taps: number,
    tapCount: number,
    w: number,
    bias: number,
    count: number,
    xStep: number,
    outStep: number,
    blocks: number,
  ): void;
  conv_direct_relu: SimdKernels['conv_direct'];
  gather_block_by_position: SimdKernels['gather_block'];
  gather_block_transposing: SimdKernels['gather_block'];
  gather_block_images: GatherImages;
  gather_block_by_position_images: GatherImages;
  gather_block_transposing_images: GatherImages;
  product_tile_3x16(out: number, cols: number, colStride: number, dy: number, dyStride: number, count: number): void;
  product_tile_2x16_strided: StridedTile;
  product_tile_1x16_strided: StridedTile;
  product_tile_2x16_strided_store: StridedTile;
  product_tile_1x16_strided_store: StridedTile;
  copy_panels(dst: number, src: number, rows: number, panels: number, srcStride: number): void;
  product_rows(
    out: number,
    a: number,
    rowStep: number,
    pStep: number,
    b: number,
    bStride: number,
    count: number,
    outStride: number,
    rows: number,
    panels: number,
    panelStep: number,
  ): void;
  product_rows_store: SimdKernels['product_rows'];
  gather_block(
    dst: number,
    src: number,
    chans: number,
    rows: number,
    cols: number,
    dstChan: number,
    dstRow: number,
    srcChan: number,
    srcRow: number,
    srcCol: number,
  ): void;
}

/**
 * The SIMD loops bound to `memory` (shared or not), or null when this engine cannot run them (no
 * WebAssembly SIMD): callers then use their portable path.
 */
export const simdKernelsOn = heapModule<SimdKernels>(() => {
  const fuse = fusedMultiplyAdd();
  const loops = [
    poolMax,
    poolMaxGradOf(true),
    poolMaxGradOf(false),
    columnSum,
    gatherBlock,
    gatherBlockByPosition,
    gatherBlockTransposing,
    copyRowsOf(false),
    copyRowsOf(true),
    reluGrad,
    directConvOf(false, fuse),
    directConvOf(true, fuse),
    productTileOf(fuse),
    ...stridedProductTiles(fuse),
    copyPanels,
  ];
  const index = (name: string): number => loops.findIndex((loop) => loop.name === name);
  const rowsOf = (name: string, suffix: string): WasmFunction =>
    productRowsOf(name, index(`product_tile_2x16_strided${suffix}`), index(`product_tile_1x16_strided${suffix}`));
  return [
    ...loops,
    rowsOf('product_rows', ''),
    rowsOf('product_rows_store', '_store'),
    ...GATHER_LOOPS.map((name) => gatherImagesOf(name, index(name))),
    ...pooledOptimizerLoops(),
  ];
});

/**
 * The SIMD loops bound to this backend's heap, or null when they cannot be used here (the
 * backend's memory is not reachable, or the engine lacks WebAssembly SIMD): callers then use
 * their portable path.
 */
export function simdKernelsFor(backend: WasmBackend): SimdKernels | null {
  const memory = backendMemory(backend);
  return memory === null ? null : simdKernelsOn(memory);
}
