/**
 * The backward time loop of the whole-sequence GRU kernel: from the gradients of the outputs and of
 * the final state, walks the steps in reverse processing order with the values the forward pass
 * saved (z, r, ĥ, the states and the candidate's recurrent term) and returns the gradients of the
 * input projection, both biases, the recurrent kernel and the initial state.
 *
 * Per step: `dĥ = dh·(1 − z)`, `dz = dh·(h₋₁ − ĥ)`, the pre-activations' gradients from those, and
 * the state gradient `dh·z` plus what flows back through the recurrent products (per gate times its
 * dropout mask; without reset_after also through `r ⊙ h₋₁ ⊙ m_h`, which needs `dĥ_pre·R_hᵀ` before
 * r's gradient). The kernel's gradient is one product per operand after the loop over all steps.
 * A masked sample passes the state gradient through unchanged, and its output gradient on to the
 * previous output it repeated.
 */
import { gateColumns, gateGroups, type GRUSequenceAttrs } from './gru-sequence-forward.js';
import {
  columnSums,
  inputStep,
  keepTable,
  kernelBlocks,
  maskedCopy,
  recurrentKernelGradient,
  runningGradients,
  splitGates,
  stateGradient,
  type SequenceDims,
  type RecurrentInputs,
  type IncomingGradients,
} from './sequence-steps.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** What the backward pass reads: the forward inputs and saved values, and the incoming gradients. */
export interface GRUSequenceBackwardInputs extends RecurrentInputs, IncomingGradients {
  gates: SequenceBuffer;
  hs: SequenceBuffer;
  aux: SequenceBuffer;
}

/** The gradients, as workspace buffers. */
export interface GRUSequenceGradients {
  /** `[T·B, 3H]` rows by input time, or per gate `[T·B, H]`. */
  dxProj: SequenceBuffer[];
  /** `[3H]` each. */
  dInputBias: SequenceBuffer;
  dRecurrentBias: SequenceBuffer;
  dRecurrentKernel: SequenceBuffer;
  dh0: SequenceBuffer;
}

/** Runs the backward loop; the buffers it returns belong to `ws` (`gateMajor`: dxProj per gate). */
export function gruSequenceBackward(
  ws: SequenceWorkspace,
  x: GRUSequenceBackwardInputs,
  attrs: GRUSequenceAttrs,
  dims: SequenceDims,
  gateMajor: boolean,
): GRUSequenceGradients {
  const { T, B, H } = dims;
  const BH = B * H;
  const H3 = 3 * H;
  const TB = T * B;
  const { resetAfter } = attrs;
  const perGate = x.recurrentMasks !== null;
  const counts = gateGroups(resetAfter, perGate);
  const cols = gateColumns(counts, H);
  const last = counts.length - 1;
  // dz of the pre-activations, rows by input time; and of the recurrent products (differs in the
  // reset_after candidate: r ⊙ its gradient), whose column sums are the recurrent bias's gradient.
  const dx = ws.alloc([TB, H3]);
  const dProducts = ws.alloc([TB, H3]);
  const kernelsT = kernelBlocks(ws, x.recurrentKernel, H, counts, true);
  const dStep = counts.map((count) => ws.alloc([B, count * H]));
  const back = counts.map(() => ws.alloc([B, H]));
  // The products' left operands of every step, rows by input time (one per group, per gate with dropout).
  const lhsAll = counts.map(() => ws.alloc([TB, H]));
  const dh0 = ws.alloc([B, H]);

  const { dh, carried, passH } = runningGradients(ws, x.dh, BH);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);

  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const hPrev = s === 0 ? ws.view(x.h0) : ws.view(x.hs);
    const [gv, av, dxv, dpv] = [ws.view(x.gates), ws.view(x.aux), ws.view(dx), ws.view(dProducts)];
    const dy = x.dOutputs === null ? null : ws.view(x.dOutputs);
    const ops = dStep.map((b) => ws.view(b));
    // Writes gate g's gradient of sample b, unit u into dx, the products' dz and the step's operand.
    const put = (g: number, b: number, u: number, dPre: number, dProduct: number): void => {
      dxv[t * B * H3 + b * H3 + g * H + u] = dPre;
      dpv[t * B * H3 + b * H3 + g * H + u] = dProduct;
      ops[cols.group[g]!]![b * cols.stride[g]! + cols.column[g]! + u] = dProduct;
    };
    for (let b = 0; b < B; b++) {
      const kept = keep[s * B + b] === 1;
      const g0 = s * B * H3 + b * H3;
      for (let u = 0; u < H; u++) {
        const k = b * H + u;
        const gy = (dy === null ? 0 : dy[s * BH + k]!) + carried[k]!;
        if (!kept) {
          // The state was carried: its gradient passes to the previous step unchanged.
          passH[k] = dh[k]!;
          carried[k] = attrs.zeroOutputForMask ? 0 : gy;
          for (let g = 0; g < 3; g++) put(g, b, u, 0, 0);
          continue;
        }
        carried[k] = 0;
        const [z, r, c] = [gv[g0 + u]!, gv[g0 + H + u]!, gv[g0 + 2 * H + u]!];
        const dhNew = gy + dh[k]!;
        const dCandidate = dhNew * (1 - z) * (1 - c * c);
        const dz = dhNew * (hPrev[prevOff + k]! - c) * z * (1 - z);
        put(0, b, u, dz, dz);
        passH[k] = dhNew * z;
        if (resetAfter) {
          const dr = dCandidate * av[s * BH + k]! * r * (1 - r);
          put(1, b, u, dr, dr);
          put(2, b, u, dCandidate, dCandidate * r);
        } else {
          // r's gradient needs the candidate product's backward: written after it, below.
          put(2, b, u, dCandidate, dCandidate);
        }
      }
    }
    const masks = perGate ? ws.view(x.recurrentMasks!) : null;
    if (!resetAfter) {
      // dq = dĥ_pre·R_hᵀ; q = r ⊙ h₋₁ ⊙ m_h gives r's gradient and a share of h₋₁'s.
      ws.matmul(dStep[last]!, kernelsT[last]!, back[last]!);
      const [dq, gv, hp, dxv, dpv] = [
        ws.view(back[last]!),
        ws.view(x.gates),
        s === 0 ? ws.view(x.h0) : ws.view(x.hs),
        ws.view(dx),
        ws.view(dProducts),
      ];
      const ops = ws.view(dStep[cols.group[1]!]!);
      for (let b = 0; b < B; b++) {
        for (let u = 0; u < H; u++) {
          const k = b * H + u;
          const m = masks === null ? 1 : masks[2 * BH + k]!;
          const r = gv[s * B * H3 + b * H3 + H + u]!;
          const dr = dq[k]! * hp[prevOff + k]! * m * r * (1 - r);
          const at = t * B * H3 + b * H3 + H + u;
          dxv[at] = dr;
          dpv[at] = dr;
          ops[b * cols.stride[1]! + cols.column[1]! + u] = dr;
          passH[k] = passH[k]! + dq[k]! * r * m;
        }
      }
    }
    // This step's operands for the kernel's gradient.
    {
      const hp = s === 0 ? ws.view(x.h0) : ws.view(x.hs);
      const early = resetAfter ? counts.length : last;
      for (let i = 0; i < early; i++) {
        const v = ws.view(lhsAll[i]!);
        if (masks === null) v.set(hp.subarray(prevOff, prevOff + BH), t * BH);
        else maskedCopy(v, t * BH, hp, prevOff, masks, i * BH, BH);
      }
      if (!resetAfter) ws.view(lhsAll[last]!).set(ws.view(x.aux).subarray(s * BH, (s + 1) * BH), t * BH);
    }
    const early = resetAfter ? counts.length : last;
    for (let i = 0; i < early; i++) ws.matmul(dStep[i]!, kernelsT[i]!, back[i]!);
    stateGradient(
      dh,
      passH,
      back.slice(0, early).map((b) => ws.view(b)),
      perGate ? ws.view(x.recurrentMasks!) : null,
      BH,
    );
  }
  ws.view(dh0).set(dh);
  const lhsOfGate = cols.group.map((i) => lhsAll[i]!);
  return {
    dxProj: gateMajor ? splitGates(ws, dx, 3, H) : [dx],
    dInputBias: columnSums(ws, dx),
    dRecurrentBias: columnSums(ws, dProducts),
    dRecurrentKernel: recurrentKernelGradient(ws, dProducts, lhsOfGate),
    dh0,
  };
}
