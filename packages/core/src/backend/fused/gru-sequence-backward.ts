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
import { gruLoops } from './gru-step-loops.js';
import type { RowArray } from './row-loops.js';
import {
  passSkippedSamples,
  rows,
  runMaskedState,
  runStateGradient,
  skippedSamples,
  zeroRow,
} from './sequence-loops.js';
import {
  columnSums,
  inputStep,
  keepTable,
  kernelBlocks,
  recurrentKernelGradient,
  splitGates,
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

  // The running gradients, [B, H] on the workspace (so the step loops run as SIMD): of h after
  // the current step, of the output a masked step repeated, and of the previous h that skips the
  // recurrent products.
  const [dh, carried, passH] = [dh0, ws.alloc([B, H]), ws.alloc([B, H])];
  if (x.dh === null) ws.view(dh).fill(0);
  else ws.view(dh).set(ws.view(x.dh));
  ws.view(carried).fill(0);
  const noDy = ws.alloc([H]);
  ws.view(noDy).fill(0);
  const ones = ws.alloc([H]);
  ws.view(ones).fill(1);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  const early = resetAfter ? counts.length : last;

  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const hPrev = (): RowArray => rows(s === 0 ? ws.view(x.h0) : ws.view(x.hs), prevOff, H);
    const gate = (g: number): RowArray => rows(ws.view(x.gates), s * B * H3 + g * H, H3);
    // Gate g's gradient goes to dx and dProducts (rows by input time) and to its product's operand.
    const outputsOf = (g: number): RowArray[] => [
      rows(ws.view(dx), t * B * H3 + g * H, H3),
      rows(ws.view(dProducts), t * B * H3 + g * H, H3),
      rows(ws.view(dStep[cols.group[g]!]!), cols.column[g]!, cols.stride[g]!),
    ];
    const skip = skippedSamples(keep, s, B);
    const dy = x.dOutputs === null ? rows(ws.view(noDy), 0, 0) : rows(ws.view(x.dOutputs), s * BH, H);
    const carriedBefore = skip.map((b) => ws.view(carried).slice(b * H, (b + 1) * H));
    gruLoops.run(ws.memory, resetAfter ? 'backward_reset_after' : 'backward', B, H, [
      gate(0),
      gate(2),
      hPrev(),
      dy,
      rows(ws.view(carried), 0, H),
      rows(ws.view(dh), 0, H),
      rows(ws.view(passH), 0, H),
      ...(resetAfter ? [gate(1), rows(ws.view(x.aux), s * BH, H)] : []),
      ...(resetAfter ? [0, 1, 2] : [0, 2]).flatMap(outputsOf),
    ]);
    // A skipped sample's state was carried: its gradient passes to the previous step unchanged.
    const views = { dh: ws.view(dh), passH: ws.view(passH), carried: ws.view(carried) };
    passSkippedSamples(skip, carriedBefore, H, dy, views, attrs.zeroOutputForMask);
    const everyOutput = [0, 1, 2].flatMap(outputsOf);
    for (const b of skip) zeroRow(everyOutput, b, H);
    if (!resetAfter) {
      // dq = dĥ_pre·R_hᵀ; q = r ⊙ h₋₁ ⊙ m_h gives r's gradient and a share of h₋₁'s.
      ws.matmul(dStep[last]!, kernelsT[last]!, back[last]!);
      const mask = perGate ? rows(ws.view(x.recurrentMasks!), 2 * BH, H) : rows(ws.view(ones), 0, 0);
      gruLoops.run(ws.memory, 'reset_gradient', B, H, [
        rows(ws.view(back[last]!), 0, H),
        hPrev(),
        mask,
        gate(1),
        ...outputsOf(1),
        rows(ws.view(passH), 0, H),
      ]);
    }
    // This step's operands for the kernel's gradient.
    for (let i = 0; i < early; i++) {
      const [v, hp] = [ws.view(lhsAll[i]!), hPrev().view];
      if (perGate) runMaskedState(gruLoops, ws, v, t * BH, hp, prevOff, x.recurrentMasks!, i, BH);
      else v.set(hp.subarray(prevOff, prevOff + BH), t * BH);
    }
    if (!resetAfter) ws.view(lhsAll[last]!).set(ws.view(x.aux).subarray(s * BH, (s + 1) * BH), t * BH);
    for (let i = 0; i < early; i++) ws.matmul(dStep[i]!, kernelsT[i]!, back[i]!);
    runStateGradient(gruLoops, ws, dh, passH, back.slice(0, early), x.recurrentMasks);
  }
  const lhsOfGate = cols.group.map((i) => lhsAll[i]!);
  return {
    dxProj: gateMajor ? splitGates(ws, dx, 3, H) : [dx],
    dInputBias: columnSums(ws, dx),
    dRecurrentBias: columnSums(ws, dProducts),
    dRecurrentKernel: recurrentKernelGradient(ws, dProducts, lhsOfGate),
    dh0,
  };
}
