/**
 * The gather loops of Strata's SIMD module (see simd-kernels.ts, which assembles them with the
 * others): strided block copies that build the transposed patch matrix of the convolution filter
 * gradient (conv-patches.ts), one image and filter tap per call, or a run of images per call
 * (`<gather>_images`).
 */
import type { WasmFunction } from '../wasm-simd/encoding.js';
import { locals, op, params, range, seq } from '../wasm-simd/instructions.js';

const { get, set, tee, i32 } = op;

/**
 * dst[ci, r, c] = src[ci·srcChan + r·srcRow + c·srcCol] (float32, strides in bytes; dst rows of
 * `cols` contiguous floats). params: dst, src, chans, rows, cols, dstChan, dstRow, srcChan, srcRow, srcCol
 */
// prettier-ignore
export const gatherBlock: WasmFunction = {
  name: 'gather_block',
  params: params(10),
  locals: locals(7, 0), // 10 ci, 11 r, 12 c, 13 dp, 14 sp, 15 dRow, 16 sRow
  body: seq(
    range(10, i32(0), 2, seq(
      get(0), get(10), get(5), op.mul, op.add, set(15),
      get(1), get(10), get(7), op.mul, op.add, set(16),
      range(11, i32(0), 3, seq(
        get(15), set(13),
        get(16), set(14),
        range(12, i32(0), 4, seq(
          get(13), get(14), op.f32Load, op.f32Store,
          get(13), i32(4), op.add, set(13),
          get(14), get(9), op.add, set(14),
        )),
        get(15), get(6), op.add, set(15),
        get(16), get(8), op.add, set(16),
      )),
    )),
  ),
};

/** The gather loops, each also as `<name>_images`: see {@link gatherImagesOf}. */
export const GATHER_LOOPS = ['gather_block', 'gather_block_by_position', 'gather_block_transposing'] as const;

/**
 * `<gather>_images`: the gather loop `gather` (function `target` of the module) for `images`
 * images in turn, dst and src advancing by dstImage and srcImage bytes: one call instead of one per
 * image (a call from JS, and a slot of a pool job, costs more than a small image's copy).
 * params: dst, src, chans, rows, cols, dstChan, dstRow, srcChan, srcRow, srcCol, images, dstImage,
 * srcImage
 */
// prettier-ignore
export const gatherImagesOf = (gather: string, target: number): WasmFunction => ({
  name: `${gather}_images`,
  params: params(13),
  locals: locals(1, 0), // 13 image
  body: seq(
    range(13, i32(0), 10, seq(
      ...Array.from({ length: 10 }, (_, i) => get(i)), op.call(target),
      get(0), get(11), op.add, set(0),
      get(1), get(12), op.add, set(1),
    )),
  ),
});

/** gather_block with the channel loop innermost (reads contiguous channel vectors). Same params. */
// prettier-ignore
export const gatherBlockByPosition: WasmFunction = {
  name: 'gather_block_by_position',
  params: params(10),
  locals: locals(7, 0), // 10 ci, 11 r, 12 c, 13 dp, 14 sp, 15 dRow, 16 sRow
  body: seq(
    get(0), set(15),
    get(1), set(16),
    range(11, i32(0), 3, seq(
      range(12, i32(0), 4, seq(
        get(15), get(12), i32(2), op.shl, op.add, set(13),
        get(16), get(12), get(9), op.mul, op.add, set(14),
        range(10, i32(0), 2, seq(
          get(13), get(14), op.f32Load, op.f32Store,
          get(13), get(5), op.add, set(13),
          get(14), get(7), op.add, set(14),
        )),
      )),
      get(15), get(6), op.add, set(15),
      get(16), get(8), op.add, set(16),
    )),
  ),
};

const bytes = (floats: number[]): number[] => floats.flatMap((f) => [4 * f, 4 * f + 1, 4 * f + 2, 4 * f + 3]);
/** Lanes [a0 b0 a1 b1] / [a2 b2 a3 b3] of two vectors, and their 64-bit halves [x0 x1 y0 y1] / [x2 x3 y2 y3]. */
const LOW_PAIRS = bytes([0, 4, 1, 5]);
const HIGH_PAIRS = bytes([2, 6, 3, 7]);
const LOW_HALVES = bytes([0, 1, 4, 5]);
const HIGH_HALVES = bytes([2, 3, 6, 7]);

/**
 * gather_block for channels-last sources (srcChan 4 bytes, chans a multiple of 4): 4 positions ×
 * 4 channels at a time are loaded as 4 vectors, transposed with shuffles and stored as 4 vectors
 * of 4 consecutive positions in 4 channel rows; the last cols % 4 positions are copied one by one.
 * Same params as gather_block.
 */
// prettier-ignore
export const gatherBlockTransposing: WasmFunction = {
  name: 'gather_block_transposing',
  params: params(10),
  locals: locals(10, 8), // 10 ci, 11 r, 12 c, 13 dp, 14 sp, 15 dRow, 16 sRow, 17 c4End, 18 chEnd, 19 a; 20..23 v0..v3, 24..27 t0..t3
  body: seq(
    get(4), i32(-4), op.and, set(17),
    get(2), i32(2), op.shl, set(18),
    get(0), set(15),
    get(1), set(16),
    range(11, i32(0), 3, seq(
      range(12, i32(0), 17, seq(
        get(16), get(12), get(9), op.mul, op.add, set(14),
        get(15), get(12), i32(2), op.shl, op.add, set(13),
        range(10, i32(0), 18, seq(
          get(14), get(10), op.add, tee(19), op.v128Load, set(20),
          ...[21, 22, 23].map((v) => seq(get(19), get(9), op.add, tee(19), op.v128Load, set(v))),
          get(20), get(21), op.shuffle(LOW_PAIRS), set(24),
          get(22), get(23), op.shuffle(LOW_PAIRS), set(25),
          get(20), get(21), op.shuffle(HIGH_PAIRS), set(26),
          get(22), get(23), op.shuffle(HIGH_PAIRS), set(27),
          get(13), get(10), i32(2), op.shrU, get(5), op.mul, op.add, tee(19),
          get(24), get(25), op.shuffle(LOW_HALVES), op.v128Store,
          get(19), get(5), op.add, tee(19),
          get(24), get(25), op.shuffle(HIGH_HALVES), op.v128Store,
          get(19), get(5), op.add, tee(19),
          get(26), get(27), op.shuffle(LOW_HALVES), op.v128Store,
          get(19), get(5), op.add,
          get(26), get(27), op.shuffle(HIGH_HALVES), op.v128Store,
        ), 16),
      ), 4),
      range(12, get(17), 4, seq(
        range(10, i32(0), 2, seq(
          get(15), get(10), get(5), op.mul, op.add, get(12), i32(2), op.shl, op.add,
          get(16), get(12), get(9), op.mul, op.add, get(10), i32(2), op.shl, op.add, op.f32Load,
          op.f32Store,
        )),
      )),
      get(15), get(6), op.add, set(15),
      get(16), get(8), op.add, set(16),
    )),
  ),
};
