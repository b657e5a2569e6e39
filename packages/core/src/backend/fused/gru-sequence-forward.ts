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
import {
  inputStep,
  keepTable,
  kernelBlocks,
  maskedCopy,
  type SequenceDims,
  type RecurrentInputs,
} from './sequence-steps.js';
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
  const zeros = new Float32Array(H3);

  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevOf = (): Float32Array => (s === 0 ? ws.view(x.h0) : ws.view(hs));
    for (let i = 0; i < early; i++) {
      const [v, hPrev] = [ws.view(lhs[i]!), prevOf()];
      if (perGate) {
        const m = ws.view(x.recurrentMasks!);
        maskedCopy(v, 0, hPrev, prevOff, m, i * BH, BH);
      } else {
        v.set(hPrev.subarray(prevOff, prevOff + BH));
      }
      ws.matmul(lhs[i]!, kernels[i]!, products[i]!);
    }
    const bi = x.inputBias === null ? zeros : ws.view(x.inputBias);
    const br = x.recurrentBias === null ? zeros : ws.view(x.recurrentBias);
    const pre = ws.view(zrPre);
    for (let g = 0; g < 2; g++) {
      const [xOff, xStride] = projectionBlock(x.xProj, g, t, B, H);
      const xp = ws.view(x.xProj[x.xProj.length === 1 ? 0 : g]!);
      const rec = ws.view(products[cols.group[g]!]!);
      for (let b = 0; b < B; b++) {
        const r0 = b * cols.stride[g]! + cols.column[g]!;
        for (let u = 0; u < H; u++) {
          pre[b * 2 * H + g * H + u] = xp[xOff + b * xStride + u]! + bi[g * H + u]! + rec[r0 + u]! + br[g * H + u]!;
        }
      }
    }
    ws.sigmoid(zrPre, zrAct);
    {
      // The candidate's recurrent term.
      const act = ws.view(zrAct);
      const a = ws.view(aux);
      const hPrev = prevOf();
      if (resetAfter) {
        const rec = ws.view(products[cols.group[2]!]!);
        for (let b = 0; b < B; b++) {
          const r0 = b * cols.stride[2]! + cols.column[2]!;
          for (let u = 0; u < H; u++) a[s * BH + b * H + u] = rec[r0 + u]! + br[2 * H + u]!;
        }
      } else {
        const q = ws.view(lhs[counts.length - 1]!);
        const m = perGate ? ws.view(x.recurrentMasks!) : null;
        for (let b = 0; b < B; b++) {
          for (let u = 0; u < H; u++) {
            const k = b * H + u;
            const v = act[b * 2 * H + H + u]! * hPrev[prevOff + k]! * (m === null ? 1 : m[2 * BH + k]!);
            q[k] = v;
            a[s * BH + k] = v;
          }
        }
        ws.matmul(lhs[counts.length - 1]!, kernels[counts.length - 1]!, products[counts.length - 1]!);
      }
    }
    {
      const [xOff, xStride] = projectionBlock(x.xProj, 2, t, B, H);
      const xp = ws.view(x.xProj[x.xProj.length === 1 ? 0 : 2]!);
      const act = ws.view(zrAct);
      const a = ws.view(aux);
      const prodH = resetAfter ? null : ws.view(products[counts.length - 1]!);
      const two = ws.view(twoPre);
      const biv = x.inputBias === null ? zeros : ws.view(x.inputBias);
      for (let b = 0; b < B; b++) {
        for (let u = 0; u < H; u++) {
          const k = b * H + u;
          const rec = prodH === null ? act[b * 2 * H + H + u]! * a[s * BH + k]! : prodH[k]!;
          two[k] = 2 * (xp[xOff + b * xStride + u]! + biv[2 * H + u]! + rec);
        }
      }
    }
    ws.sigmoid(twoPre, sig);
    const [act, sg, gv, hv, out, hPrev] = [
      ws.view(zrAct),
      ws.view(sig),
      ws.view(gates),
      ws.view(hs),
      ws.view(outputs),
      prevOf(),
    ];
    const repeat = !attrs.zeroOutputForMask && s > 0;
    for (let b = 0; b < B; b++) {
      const kept = keep[s * B + b] === 1;
      for (let u = 0; u < H; u++) {
        const k = b * H + u;
        const z = act[b * 2 * H + u]!;
        const candidate = 2 * sg[k]! - 1;
        const g0 = s * B * H3 + b * H3;
        gv[g0 + u] = z;
        gv[g0 + H + u] = act[b * 2 * H + H + u]!;
        gv[g0 + 2 * H + u] = candidate;
        const cur = s * BH + k;
        if (kept) {
          const h = z * hPrev[prevOff + k]! + (1 - z) * candidate;
          hv[cur] = h;
          out[cur] = h;
        } else {
          hv[cur] = hPrev[prevOff + k]!;
          out[cur] = repeat ? out[cur - BH]! : 0;
        }
      }
    }
  }
  return { outputs, gates, hs, aux };
}
