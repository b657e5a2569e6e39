/**
 * The forward time loop of the whole-sequence GRU kernel (Keras's default activations, gate order
 * z, r, h; Keras implementation-1 semantics with per-gate recurrent dropout masks `m`):
 *
 *     z = sigmoid(xz + bz + rec_z),  r = sigmoid(xr + br + rec_r),   rec_g = (h₋₁ ⊙ m_g)·R_g
 *     reset_after:   ĥ = tanh(xh + bh + r ⊙ (rec_h + b'h))          (+ b' the recurrent bias on every gate)
 *     otherwise:     ĥ = tanh(xh + bh + (r ⊙ h₋₁ ⊙ m_h)·R_h)
 *     h = z ⊙ h₋₁ + (1 − z) ⊙ ĥ
 *
 * The products run on the workspace's matmul (one for all gates that share an operand), every
 * nonlinearity on its sigmoid (tanh(x) = 2·sigmoid(2x) − 1). Steps run in processing order `s`
 * (input index `t = T−1−s` with `goBackwards`); a sample whose time-mask entry is 0 keeps its
 * state, and its output is the previous output (or 0 with `zeroOutputForMask`), as `RNN` does.
 */
import type { SequenceAttrs } from './sequence-kernel.js';
import { gruLoops } from './gru-step-loops.js';
import type { RowArray } from './row-loops.js';
import { rows, runMaskedState } from './sequence-loops.js';
import { inputStep, keepTable, kernelBlocks, type SequenceDims, type RecurrentInputs } from './sequence-steps.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** The kernel's inputs, as workspace buffers. */
export interface GRUSequenceInputs extends RecurrentInputs {
  /** The input projection without bias, by input time: one `[T, B, 3H]`, or one `[T, B, H]` per gate. */
  xProj: SequenceBuffer[];
  /** `[3H]` input bias, or null. */
  inputBias: SequenceBuffer | null;
  /** `[3H]` recurrent bias (reset_after only), or null. */
  recurrentBias: SequenceBuffer | null;
}

/** The kernel's attributes. */
export interface GRUSequenceAttrs extends SequenceAttrs {
  resetAfter: boolean;
}

/** The forward results, all in processing order. */
export interface GRUSequenceForward {
  /** `[T, B, H]` outputs. */
  outputs: SequenceBuffer;
  /** `[T, B, 3H]` z, r and the candidate ĥ of every step. */
  gates: SequenceBuffer;
  /** `[T, B, H]` states after every step. */
  hs: SequenceBuffer;
  /** `[T, B, H]` reset_after: `rec_h + b'h` (what r multiplies); otherwise `r ⊙ h₋₁ ⊙ m_h` (R_h's operand). */
  aux: SequenceBuffer;
}

/**
 * How the recurrent products group the gates: gates that share a left operand (no dropout masks)
 * are one product; without reset_after the candidate's product (its operand needs r) is always last
 * and alone.
 */
export function gateGroups(resetAfter: boolean, perGate: boolean): number[] {
  if (perGate) return [1, 1, 1];
  return resetAfter ? [3] : [2, 1];
}

/** Where gate `g`'s columns of a step's recurrent products are: product index, column offset, row stride. */
export interface GateColumns {
  group: number[];
  column: number[];
  stride: number[];
}

/** {@link GateColumns} of `counts` (from {@link gateGroups}) for `H` units. */
export function gateColumns(counts: number[], H: number): GateColumns {
  const cols: GateColumns = { group: [], column: [], stride: [] };
  counts.forEach((count, i) => {
    for (let j = 0; j < count; j++) {
      cols.group.push(i);
      cols.column.push(j * H);
      cols.stride.push(count * H);
    }
  });
  return cols;
}

/** The offset and row stride of gate `g`'s block of input step `t` in the input projection. */
export function projectionBlock(xProj: SequenceBuffer[], g: number, t: number, B: number, H: number): [number, number] {
  return xProj.length === 1 ? [t * B * 3 * H + g * H, 3 * H] : [t * B * H, H];
}

/** Runs the forward loop; the buffers it returns belong to `ws`. */
export function gruSequenceForward(
  ws: SequenceWorkspace,
  x: GRUSequenceInputs,
  attrs: GRUSequenceAttrs,
  dims: SequenceDims,
): GRUSequenceForward {
  const { T, B, H } = dims;
  const BH = B * H;
  const H3 = 3 * H;
  const { resetAfter } = attrs;
  const outputs = ws.alloc([T, B, H]);
  const hs = ws.alloc([T, B, H]);
  const aux = ws.alloc([T, B, H]);
  const gates = ws.alloc([T, B, H3]);
  const perGate = x.recurrentMasks !== null;
  const counts = gateGroups(resetAfter, perGate);
  const cols = gateColumns(counts, H);
  const kernels = kernelBlocks(ws, x.recurrentKernel, H, counts, false);
  const lhs = counts.map(() => ws.alloc([B, H]));
  const products = counts.map((count) => ws.alloc([B, count * H]));
  // The products before the gates: all of them with reset_after, else all but the candidate's.
  const early = resetAfter ? counts.length : counts.length - 1;
  const zrPre = ws.alloc([B, 2 * H]);
  const zrAct = ws.alloc([B, 2 * H]);
  const twoPre = ws.alloc([B, H]);
  const sig = ws.alloc([B, H]);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  const last = counts.length - 1;

  const run = (name: string, arrays: RowArray[]): void => gruLoops.run(ws.memory, name, B, H, arrays);
  const zeros = ws.alloc([H3]);
  ws.view(zeros).fill(0);
  // Gate 2's mask without dropout: the candidate operand's `⊙ m` multiplies by 1.
  const ones = ws.alloc([H]);
  ws.view(ones).fill(1);

  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevOf = (): Float32Array => (s === 0 ? ws.view(x.h0) : ws.view(hs));
    for (let i = 0; i < early; i++) {
      if (perGate) runMaskedState(gruLoops, ws, ws.view(lhs[i]!), 0, prevOf(), prevOff, x.recurrentMasks!, i, BH);
      else ws.view(lhs[i]!).set(prevOf().subarray(prevOff, prevOff + BH));
      ws.matmul(lhs[i]!, kernels[i]!, products[i]!);
    }
    const bias = (buffer: SequenceBuffer | null, g: number): RowArray => rows(ws.view(buffer ?? zeros), g * H, 0);
    const xProj = (g: number): RowArray => {
      const [xOff, xStride] = projectionBlock(x.xProj, g, t, B, H);
      return rows(ws.view(x.xProj[x.xProj.length === 1 ? 0 : g]!), xOff, xStride);
    };
    const rec = (g: number): RowArray => rows(ws.view(products[cols.group[g]!]!), cols.column[g]!, cols.stride[g]!);
    for (let g = 0; g < 2; g++) {
      run('gate_pre', [
        rows(ws.view(zrPre), g * H, 2 * H),
        xProj(g),
        bias(x.inputBias, g),
        rec(g),
        bias(x.recurrentBias, g),
      ]);
    }
    ws.sigmoid(zrPre, zrAct);
    const r = (): RowArray => rows(ws.view(zrAct), H, 2 * H);
    const auxStep = (): RowArray => rows(ws.view(aux), s * BH, H);
    if (resetAfter) {
      run('candidate_term', [auxStep(), rec(2), bias(x.recurrentBias, 2)]);
      run('candidate_pre_reset_after', [rows(ws.view(twoPre), 0, H), xProj(2), bias(x.inputBias, 2), r(), auxStep()]);
    } else {
      const mask = perGate ? rows(ws.view(x.recurrentMasks!), 2 * BH, H) : rows(ws.view(ones), 0, 0);
      run('reset_state', [rows(ws.view(lhs[last]!), 0, H), auxStep(), r(), rows(prevOf(), prevOff, H), mask]);
      ws.matmul(lhs[last]!, kernels[last]!, products[last]!);
      run('candidate_pre', [
        rows(ws.view(twoPre), 0, H),
        xProj(2),
        bias(x.inputBias, 2),
        rows(ws.view(products[last]!), 0, H),
      ]);
    }
    ws.sigmoid(twoPre, sig);
    const [act, gv, hv, out] = [ws.view(zrAct), ws.view(gates), ws.view(hs), ws.view(outputs)];
    const g0 = s * B * H3;
    run('hidden', [
      rows(act, 0, 2 * H),
      rows(act, H, 2 * H),
      rows(ws.view(sig), 0, H),
      rows(prevOf(), prevOff, H),
      ...[0, 1, 2].map((g) => rows(gv, g0 + g * H, H3)),
      rows(hv, s * BH, H),
      rows(out, s * BH, H),
    ]);
    // A sample the time mask skips keeps its state; its output repeats the previous one (or is 0).
    const hPrev = prevOf();
    for (let b = 0; b < B; b++) {
      if (keep[s * B + b] === 1) continue;
      const [from, to] = [s * BH + b * H, s * BH + (b + 1) * H];
      hv.set(hPrev.subarray(prevOff + b * H, prevOff + (b + 1) * H), from);
      if (!attrs.zeroOutputForMask && s > 0) out.copyWithin(from, from - BH, to - BH);
      else out.fill(0, from, to);
    }
  }
  return { outputs, gates, hs, aux };
}
