/**
 * Step loops every whole-sequence kernel of the family shares (see lstm-step-loops.ts for the
 * form): the state times a gate's recurrent dropout mask, and the previous state's gradient
 * summed from the recurrent products' backward passes.
 */
import type { RowArray, RowLoopSet } from './row-loops.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';
import { E, type Expr, type LoopFunction } from '../wasm-simd/simd-loop-compiler.js';

const { load, add, mul } = E;

/** `out = h ⊙ mask`: the state times one gate's recurrent dropout mask. */
export const maskedState: LoopFunction = {
  name: 'masked_state',
  arrays: ['out', 'h', 'mask'],
  scalars: [],
  body: [{ store: 'out', value: mul(load('h'), load('mask')) }],
  strided: true,
};

const stateGradientName = (backs: number, masked: boolean): string =>
  `state_gradient_${backs}${masked ? '_masked' : ''}`;

/** `dh = passH + Σ_i back_i` (each times gate i's mask `m_i` when masked), summed in that order. */
export function stateGradientLoop(backs: number, masked: boolean): LoopFunction {
  const indexes = Array.from({ length: backs }, (_, i) => i);
  return {
    name: stateGradientName(backs, masked),
    arrays: ['dh', 'passH', ...indexes.map((i) => `b${i}`), ...(masked ? indexes.map((i) => `m${i}`) : [])],
    scalars: [],
    body: [
      {
        store: 'dh',
        value: indexes.reduce<Expr>(
          (sum, i) => add(sum, masked ? mul(load(`b${i}`), load(`m${i}`)) : load(`b${i}`)),
          load('passH'),
        ),
      },
    ],
    strided: true,
  };
}

const flat = (ws: SequenceWorkspace, buffer: SequenceBuffer, offset = 0): RowArray => ({
  view: ws.view(buffer),
  offset,
  stride: 0,
});

/**
 * `dh = passH + Σ_i back_i ⊙ mask_i` over `[B, H]` buffers (`masks` `[gates, B, H]`: gate i's mask
 * for back i; null without recurrent dropout), with the loop `set` holds for this many products.
 */
export function runStateGradient(
  set: RowLoopSet,
  ws: SequenceWorkspace,
  dh: SequenceBuffer,
  passH: SequenceBuffer,
  backs: readonly SequenceBuffer[],
  masks: SequenceBuffer | null,
): void {
  const n = dh.size;
  set.run(ws.memory, stateGradientName(backs.length, masks !== null), 1, n, [
    flat(ws, dh),
    flat(ws, passH),
    ...backs.map((b) => flat(ws, b)),
    ...(masks === null ? [] : backs.map((_, i) => flat(ws, masks, i * n))),
  ]);
}

/** `out` `[B, H]` (from `outOff`) = `h` (from `hOff`) ⊙ gate `gate`'s mask of `masks` `[gates, B, H]`. */
export function runMaskedState(
  set: RowLoopSet,
  ws: SequenceWorkspace,
  out: Float32Array,
  outOff: number,
  h: Float32Array,
  hOff: number,
  masks: SequenceBuffer,
  gate: number,
  n: number,
): void {
  set.run(ws.memory, 'masked_state', 1, n, [
    { view: out, offset: outOff, stride: 0 },
    { view: h, offset: hOff, stride: 0 },
    flat(ws, masks, gate * n),
  ]);
}

/** Rows of `view` from `offset`, `stride` elements apart (0: one row repeated). */
export const rows = (view: Float32Array, offset: number, stride: number): RowArray => ({ view, offset, stride });

/** The samples the time mask skips at processing step `s` (`keep` from keepTable: 0 = skip). */
export function skippedSamples(keep: Uint8Array, s: number, B: number): number[] {
  const skipped: number[] = [];
  for (let b = 0; b < B; b++) if (keep[s * B + b] === 0) skipped.push(b);
  return skipped;
}

/** Sets rows `b` of `arrays` (`width` values each) to 0. */
export function zeroRow(arrays: readonly RowArray[], b: number, width: number): void {
  for (const a of arrays) a.view.fill(0, a.offset + b * a.stride, a.offset + (b * a.stride + width));
}

/**
 * After a backward step loop ran for every sample as if kept, puts right what a sample the time
 * mask skipped passes on: its state gradient `dh` unchanged (as `passH`), and the gradient of the
 * output it repeated, `dy + carried` as the step found it (`carriedBefore`, `[H]` per skipped
 * sample), or 0 with `zeroOutputForMask`. Rows of `[B, H]` buffers.
 */
export function passSkippedSamples(
  skipped: readonly number[],
  carriedBefore: readonly Float32Array[],
  H: number,
  dy: RowArray,
  views: { dh: Float32Array; passH: Float32Array; carried: Float32Array },
  zeroOutputForMask: boolean,
): void {
  skipped.forEach((b, j) => {
    const from = b * H;
    views.passH.set(views.dh.subarray(from, from + H), from);
    const dyAt = dy.offset + b * dy.stride;
    for (let u = 0; u < H; u++) {
      views.carried[from + u] = zeroOutputForMask ? 0 : dy.view[dyAt + u]! + carriedBefore[j]![u]!;
    }
  });
}
