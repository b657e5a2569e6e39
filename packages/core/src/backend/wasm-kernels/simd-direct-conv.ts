/**
 * The direct convolution loop of Strata's SIMD module (see simd-kernels.ts, which assembles it with
 * the others): for convolutions over few input channels (a first layer over 1–3 channels), whose
 * windows hold too few values for a matrix product to pay, each output vector is the bias plus one
 * multiply-add per window value, with the window's values read through a table of offsets. Two
 * windows at a time share each weight vector loaded (8 accumulators, 4 weights, 2 splats: 14 of
 * x64's 16 vector registers).
 */
import type { WasmFunction } from '../wasm-simd/encoding.js';
import { multiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { locals, op, params, range, seq } from '../wasm-simd/instructions.js';

const { get, set, i32 } = op;

// Parameters: 0 out, 1 x, 2 taps, 3 tapCount, 4 w, 5 bias, 6 count, 7 xStep, 8 outStep, 9 blocks.
// Locals: 10 window, 11 block, 12 t, 13 window address, 14 block weights, 15 tap pointer,
// 16 output address, 17 tap weights, 18 x offset, 19 even window count; vectors 20..27 acc
// (window w, quad j at 20 + 4w + j), 28..29 splats, 30..33 weights, 34 zero.
const acc = (w: number, j: number): number => 20 + 4 * w + j;
const SPLAT = 28;
const WEIGHT = 30;
const ZERO = 34;
const QUADS = [0, 1, 2, 3];

/** The outputs of `windows` (1 or 2) windows from the one at the window local, every block. */
// prettier-ignore
const windowsBody = (windows: number, relu: boolean, fuse: boolean): number[] => {
  const ws = Array.from({ length: windows }, (_, w) => w);
  return seq(
    get(1), get(10), get(7), op.mul, op.add, set(13),
    get(0), get(10), get(8), op.mul, op.add, set(16),
    range(11, i32(0), 9, seq(
      ...ws.flatMap((w) => QUADS.map((j) => seq(get(5), get(11), i32(6), op.shl, op.add, op.v128LoadAt(16 * j), set(acc(w, j))))),
      get(4), get(11), i32(6), op.shl, op.add, set(14),
      get(2), set(15),
      range(12, i32(0), 3, seq(
        get(13), get(15), op.i32Load, op.add, set(18),
        ...ws.map((w) => seq(get(18), w === 0 ? [] : seq(get(7), op.add), op.v128Load32Splat, set(SPLAT + w))),
        get(14), get(15), op.i32LoadAt(4), op.add, set(17),
        ...QUADS.map((j) => seq(get(17), op.v128LoadAt(16 * j), set(WEIGHT + j))),
        ...ws.flatMap((w) => QUADS.map((j) => seq(multiplyAdd(acc(w, j), SPLAT + w, WEIGHT + j, fuse), set(acc(w, j))))),
        get(15), i32(8), op.add, set(15),
      )),
      ...ws.flatMap((w) =>
        QUADS.map((j) =>
          seq(
            get(16), w === 0 ? [] : seq(get(8), op.add), get(11), i32(6), op.shl, op.add,
            get(acc(w, j)), relu ? seq(get(ZERO), op.f32x4Max) : [],
            op.v128StoreAt(16 * j),
          ),
        ),
      ),
    )),
  );
};

/**
 * For `count` windows, the i-th at x + i·xStep: out[i·outStep + 64·b + …16 floats] =
 * bias[16b …] + Σ_t x[window + taps[2t]] · w[taps[2t + 1] + 64·b …], for each block b < blocks of
 * 16 output channels, taps in order (fused multiply-adds when `fuse`), then max(·, 0) for
 * `conv_direct_relu` (NaN kept). params: out, x, taps, tapCount, w, bias, count, xStep, outStep, blocks
 */
// prettier-ignore
export const directConvOf = (relu: boolean, fuse: boolean): WasmFunction => ({
  name: relu ? 'conv_direct_relu' : 'conv_direct',
  params: params(10),
  locals: locals(10, 15),
  body: seq(
    i32(0), op.i32x4Splat, set(ZERO),
    get(6), i32(-2), op.and, set(19),
    range(10, i32(0), 19, windowsBody(2, relu, fuse), 2),
    range(10, get(19), 6, windowsBody(1, relu, fuse)),
  ),
});
