/**
 * Loop helpers shared by the whole-sequence recurrent kernels (LSTM, GRU, SimpleRNN): step order and time
 * masks, moving gate blocks between `[rows, gates·H]` and `[rows, H]` layouts, and the gradients
 * that are sums over all steps (bias, recurrent kernel), computed once after the backward loop.
 */
import { rowLoopSet } from './row-loops.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';
import { E } from '../wasm-simd/simd-loop-compiler.js';

/** The inputs every loop of the family reads. */
export interface RecurrentInputs {
  /** `[H, gates·H]`. */
  recurrentKernel: SequenceBuffer;
  /** `[B, H]` initial state. */
  h0: SequenceBuffer;
  /** `[gates, B, H]` recurrent dropout masks, one per gate, or null. */
  recurrentMasks: SequenceBuffer | null;
  /** `[B, T]` time mask (0 = skip the step), or null. */
  timeMask: ArrayLike<number> | null;
}

/** The gradients a backward loop starts from. */
export interface IncomingGradients {
  /** `[T, B, H]` gradient of the outputs, null when no output was used. */
  dOutputs: SequenceBuffer | null;
  /** `[B, H]` gradient of the final state, null when unused. */
  dh: SequenceBuffer | null;
}

/** The sizes of a call: time steps, batch, units. */
export interface SequenceDims {
  T: number;
  B: number;
  H: number;
}

/** The input index of processing step `s`. */
export const inputStep = (s: number, T: number, goBackwards: boolean): number => (goBackwards ? T - 1 - s : s);

/**
 * Copies column blocks of `kernel` `[rows, gates·H]` into buffers (each a matmul operand): block `i`
 * holds `counts[i]` consecutive gates, `[rows, counts[i]·H]` (transposed with `transpose`).
 */
export function kernelBlocks(
  ws: SequenceWorkspace,
  kernel: SequenceBuffer,
  H: number,
  counts: number[],
  transpose: boolean,
): SequenceBuffer[] {
  const [rows, width] = kernel.shape as [number, number];
  let first = 0;
  return counts.map((count) => {
    const cols = count * H;
    const block = ws.alloc(transpose ? [cols, rows] : [rows, cols]);
    const [k, v] = [ws.view(kernel), ws.view(block)];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) v[transpose ? j * rows + r : r * cols + j] = k[r * width + first + j]!;
    }
    first += cols;
    return block;
  });
}

/** Copies the gate blocks of `kernel` `[rows, gates·H]` into `gates` buffers `[rows, H]` (each a matmul operand). */
export function splitGateColumns(
  ws: SequenceWorkspace,
  kernel: SequenceBuffer,
  gates: number,
  transpose: boolean,
): SequenceBuffer[] {
  return kernelBlocks(ws, kernel, kernel.shape[1]! / gates, new Array<number>(gates).fill(1), transpose);
}

/**
 * Which samples each processing step updates, `[T·B]` by processing step (1 = update; all ones
 * without a time mask). One monomorphic array keeps the step loops simple.
 */
export function keepTable(mask: ArrayLike<number> | null, { T, B }: SequenceDims, goBackwards: boolean): Uint8Array {
  const keep = new Uint8Array(T * B).fill(1);
  if (mask === null) return keep;
  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, goBackwards);
    for (let b = 0; b < B; b++) keep[s * B + b] = mask[b * T + t] !== 0 ? 1 : 0;
  }
  return keep;
}

/** Rows `from…from+count` of the 2-D buffer `a`, as a new buffer (a product operand). */
function rowBlock(ws: SequenceWorkspace, a: SequenceBuffer, from: number, count: number): SequenceBuffer {
  const cols = a.shape[1]!;
  const out = ws.alloc([count, cols]);
  ws.view(out).set(ws.view(a).subarray(from * cols, (from + count) * cols));
  return out;
}

/** Moving blocks between layouts, and column sums: SIMD on the wasm heap (row-loops.ts). */
const blockLoops = rowLoopSet([
  {
    name: 'copy',
    arrays: ['out', 'x'],
    scalars: [],
    body: [{ store: 'out', value: E.load('x') }],
    strided: true,
  },
  {
    // With the sum's row stride 0, every row of x adds into the same row.
    name: 'add_rows',
    arrays: ['sum', 'x'],
    scalars: [],
    body: [{ store: 'sum', value: E.add(E.load('sum'), E.load('x')) }],
    strided: true,
  },
]);

/** The gate blocks of `dz` `[rows, gates·H]` as `gates` buffers `[rows, H]` (per-gate projections' gradients). */
export function splitGates(ws: SequenceWorkspace, dz: SequenceBuffer, gates: number, H: number): SequenceBuffer[] {
  const rows = dz.shape[0]!;
  const blocks = Array.from({ length: gates }, () => ws.alloc([rows, H]));
  blocks.forEach((block, g) =>
    blockLoops.run(ws.memory, 'copy', rows, H, [
      { view: ws.view(block), offset: 0, stride: H },
      { view: ws.view(dz), offset: g * H, stride: gates * H },
    ]),
  );
  return blocks;
}

/** A bias gradient: the column sums of `dz` `[rows, width]`, added row by row in float32. */
export function columnSums(ws: SequenceWorkspace, dz: SequenceBuffer): SequenceBuffer {
  const [rows, width] = dz.shape as [number, number];
  const out = ws.alloc([width]);
  ws.view(out).fill(0);
  blockLoops.run(ws.memory, 'add_rows', rows, width, [
    { view: ws.view(out), offset: 0, stride: 0 },
    { view: ws.view(dz), offset: 0, stride: width },
  ]);
  return out;
}

/**
 * The recurrent kernel's gradient `dR = Σ_t lhsᵀ·dz` `[H, gates·H]` from all steps' `dz`
 * `[T·B, gates·H]` and the recurrent products' left operands `lhs[g]` `[T·B, H]` of each gate
 * (gates that share one operand buffer are one product). One product per operand over all steps,
 * as `dRᵀ = dzᵀ·lhs`, so the product's packed right operand is `lhs` `[T·B, H]`, not dz (packing a
 * fresh 2,560 × 256 operand cost more than the product); dz is transposed whole once.
 */
export function recurrentKernelGradient(
  ws: SequenceWorkspace,
  dz: SequenceBuffer,
  lhs: SequenceBuffer[],
): SequenceBuffer {
  const gates = lhs.length;
  const HG = dz.shape[1]!;
  const H = HG / gates;
  const dR = ws.alloc([H, HG]);
  const dzT = ws.transposed(dz);
  for (let first = 0; first < gates;) {
    let count = 1;
    while (first + count < gates && lhs[first + count] === lhs[first]) count++;
    const block = count === gates ? dzT : rowBlock(ws, dzT, first * H, count * H);
    const width = count * H;
    const dRT = ws.alloc([width, H]);
    ws.matmul(block, lhs[first]!, dRT);
    const src = ws.view(dRT);
    const dst = ws.view(dR);
    const column = first * H;
    for (let j = 0; j < width; j++) for (let r = 0; r < H; r++) dst[r * HG + column + j] = src[j * H + r]!;
    first += count;
  }
  return dR;
}
