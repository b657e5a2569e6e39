/**
 * The product tiles of Strata's SIMD loops (see simd-kernels.ts, which assembles them with the
 * others into one module): small matrix products computed in registers, for shapes where
 * XNNPACK's per-call packing of its right operand costs more than the product.
 */
import type { WasmFunction } from '../wasm-simd/encoding.js';
import { multiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { locals, op, params, range, seq } from '../wasm-simd/instructions.js';

const { get, set, tee, i32 } = op;

/**
 * out[r, 0..16) += Σ_p cols[r, p] · dy[p, 0..16) for the 3 rows r of cols starting at `cols`
 * (rows `colStride` bytes apart) and 16 columns of dy starting at `dy` (rows `dyStride` bytes
 * apart; out rows are `dyStride` bytes apart too): a 3×16 register tile of a product whose
 * reduction runs over `count` = P, for filter gradients with few patch rows, where packing dy
 * for XNNPACK would cost more than the product. Each term is one fused multiply-add when `fuse`
 * (see fused-multiply-add.ts). params: out, cols, colStride, dy, dyStride, count
 */
// prettier-ignore
export const productTileOf = (fuse: boolean): WasmFunction => ({
  name: 'product_tile_3x16',
  params: params(6),
  locals: locals(5, 17), // 6 p, 7 c0, 8 c1, 9 c2, 10 d; 11..22 acc[r][j] = 11 + 4r + j, 23..26 dy[j], 27 splat
  body: seq(
    ...Array.from({ length: 12 }, (_, i) => seq(i32(0), op.i32x4Splat, set(11 + i))),
    get(1), set(7),
    get(1), get(2), op.add, set(8),
    get(8), get(2), op.add, set(9),
    get(3), set(10),
    range(6, i32(0), 5, seq(
      ...[0, 1, 2, 3].map((j) => seq(get(10), op.v128LoadAt(16 * j), set(23 + j))),
      ...[7, 8, 9].map((row, r) =>
        seq(
          get(row), op.f32Load, op.f32x4Splat, set(27),
          ...[0, 1, 2, 3].map((j) => seq(multiplyAdd(11 + 4 * r + j, 27, 23 + j, fuse), set(11 + 4 * r + j))),
          get(row), i32(4), op.add, set(row),
        ),
      ),
      get(10), get(4), op.add, set(10),
    )),
    ...[0, 1, 2].map((r) =>
      seq(
        ...[0, 1, 2, 3].map((j) =>
          seq(
            get(0), get(4), i32(r), op.mul, op.add, tee(6),
            get(6), op.v128LoadAt(16 * j), get(11 + 4 * r + j), op.f32x4Add, op.v128StoreAt(16 * j),
          ),
        ),
      ),
    ),
  ),
});

/**
 * out[r, 0..4v) += Σ_p a[r, p] · dy[p, 0..4v) for the `rows` rows r of a starting at `a` and
 * 4·`vecs` columns, element (r, p) at a + r·rowStep + p·pStep bytes (so `a` may also be read
 * transposed in place). dy rows are `dyStride` bytes apart, out rows `outStride`; each sum runs
 * over p in order (fused multiply-adds when `fuse`). Without `accumulate` the tile stores the sums
 * (out = …, the `_store` variant: the output needs no zeroing first). params: out, a, rowStep,
 * pStep, dy, dyStride, count, outStride
 */
// prettier-ignore
const stridedProductTileOf = (rows: number, vecs: number, fuse: boolean, accumulate: boolean): WasmFunction => {
  const rowRange = Array.from({ length: rows }, (_, r) => r);
  const vecRange = Array.from({ length: vecs }, (_, j) => j);
  // Locals: 8 p, 9..14 row pointers, 15 d, 16 out address; vectors from 17.
  const rowPtr = (r: number): number => 9 + r;
  const acc = (r: number, j: number): number => 17 + vecs * r + j;
  const dyVec = (j: number): number => 17 + rows * vecs + j;
  const splat = 17 + rows * vecs + vecs;
  return {
    name: `product_tile_${rows}x${4 * vecs}_strided${accumulate ? '' : '_store'}`,
    params: params(8),
    locals: locals(9, rows * vecs + vecs + 1), // acc[r][j], dy[j], splat
    body: seq(
      ...rowRange.flatMap((r) => vecRange.map((j) => seq(i32(0), op.i32x4Splat, set(acc(r, j))))),
      ...rowRange.map((r) => seq(get(1), get(2), i32(r), op.mul, op.add, set(rowPtr(r)))),
      get(4), set(15),
      range(8, i32(0), 6, seq(
        ...vecRange.map((j) => seq(get(15), op.v128LoadAt(16 * j), set(dyVec(j)))),
        ...rowRange.map((r) =>
          seq(
            get(rowPtr(r)), op.f32Load, op.f32x4Splat, set(splat),
            ...vecRange.map((j) => seq(multiplyAdd(acc(r, j), splat, dyVec(j), fuse), set(acc(r, j)))),
            get(rowPtr(r)), get(3), op.add, set(rowPtr(r)),
          ),
        ),
        get(15), get(5), op.add, set(15),
      )),
      ...rowRange.map((r) =>
        seq(
          ...vecRange.map((j) =>
            seq(
              get(0), get(7), i32(r), op.mul, op.add, tee(16),
              accumulate ? seq(get(16), op.v128LoadAt(16 * j), get(acc(r, j)), op.f32x4Add) : get(acc(r, j)),
              op.v128StoreAt(16 * j),
            ),
          ),
        ),
      ),
    ),
  };
};

/**
 * Copies a `[rows, 16·panels]` block (rows `srcStride` bytes apart) into `panels` contiguous
 * `[rows, 16]` panels, `rows·64` bytes each: a wide right operand of a product laid out so that a
 * strip of 16 columns streams through the cache. params: dst, src, rows, panels, srcStride
 */
// prettier-ignore
export const copyPanels: WasmFunction = {
  name: 'copy_panels',
  params: params(5),
  locals: locals(5, 0), // 5 p, 6 j, 7 s, 8 d, 9 panelBytes
  body: seq(
    get(2), i32(6), op.shl, set(9),
    range(5, i32(0), 2, seq(
      get(1), get(5), get(4), op.mul, op.add, set(7),
      get(0), get(5), i32(6), op.shl, op.add, set(8),
      range(6, i32(0), 3, seq(
        ...[0, 1, 2, 3].map((q) => seq(get(8), get(7), op.v128LoadAt(16 * q), op.v128StoreAt(16 * q))),
        get(7), i32(64), op.add, set(7),
        get(8), get(9), op.add, set(8),
      )),
    )),
  ),
};

/**
 * The tile shapes assembled (rows, vecs). 2×16 measured fastest of 2×16, 3×16, 3×8, 4×8, 5×8 and
 * 6×8 on the LSTM projection shapes: its 13 vectors stay in x64's 16 registers.
 */
const TILE_SHAPES: [number, number][] = [
  [2, 4],
  [1, 4],
];

/** The strided product tiles, one function per shape of {@link TILE_SHAPES}, adding into out or (`_store`) not. */
export const stridedProductTiles = (fuse: boolean): WasmFunction[] =>
  [true, false].flatMap((accumulate) =>
    TILE_SHAPES.map(([rows, vecs]) => stridedProductTileOf(rows, vecs, fuse, accumulate)),
  );

/**
 * out[r, ·] += Σ_p a[r, p] · B[p, ·] for `rows` rows by the strided tiles: rows in pairs (2×16
 * tiles, function `pairTile` of the module; a 1×16 tile, `rowTile`, for an odd last row), and for
 * each pair panel after panel, as a caller looping over the tiles would (one call for many tiles
 * saves a JS-to-wasm call per tile). Panel j of B starts at b + j·panelStep, out's 16 columns of
 * panel j at out + 64·j. With the `_store` tiles, `product_rows_store`: out = … instead of +=.
 * params: out, a, rowStep, pStep, b, bStride, count, outStride, rows, panels, panelStep
 */
// prettier-ignore
export const productRowsOf = (name: string, pairTile: number, rowTile: number): WasmFunction => {
  // Locals: 11 r, 12 j, 13 even row count, 14 out row, 15 a row.
  const tiles = (tile: number): number[] =>
    seq(
      get(0), get(11), get(7), op.mul, op.add, set(14),
      get(1), get(11), get(2), op.mul, op.add, set(15),
      range(12, i32(0), 9, seq(
        get(14), get(12), i32(6), op.shl, op.add,
        get(15), get(2), get(3),
        get(4), get(12), get(10), op.mul, op.add,
        get(5), get(6), get(7),
        op.call(tile),
      )),
    );
  return {
    name,
    params: params(11),
    locals: locals(5, 0),
    body: seq(
      get(8), i32(-2), op.and, set(13),
      range(11, i32(0), 13, tiles(pairTile), 2),
      range(11, get(13), 8, tiles(rowTile), 2),
    ),
  };
};
