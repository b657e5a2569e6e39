/**
 * The backward time loop of the whole-sequence LSTM kernel: from the gradients of the outputs and
 * of the final states, walks the steps in reverse processing order with the gate activations the
 * forward pass saved, and returns the gradients of the input projection, the recurrent kernel and
 * the initial states.
 *
 * Per step, `dz` comes from the gate derivatives; the state gradient flows back through the
 * recurrent product (`dz·Rᵀ`, or `Σ_gate (dz_gate·R_gateᵀ) ⊙ m_gate` with recurrent dropout). The
 * recurrent kernel's gradient `Σ_t h₋₁ᵀ·dz` is one large product after the loop over all steps
 * (per gate with dropout), not one per step. A masked sample passes the state gradients through
 * unchanged, and its output gradient on to the previous output it repeated.
 */
import type { LSTMSequenceAttrs } from './lstm-sequence-forward.js';
import { lstmLoops } from './lstm-step-loops.js';
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
  recurrentKernelGradient,
  splitGateColumns,
  splitGates,
  type SequenceDims,
  type RecurrentInputs,
  type IncomingGradients,
} from './sequence-steps.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** What the backward pass reads: the forward inputs and saved values, and the incoming gradients. */
export interface LSTMSequenceBackwardInputs extends RecurrentInputs, IncomingGradients {
  c0: SequenceBuffer;
  gates: SequenceBuffer;
  hs: SequenceBuffer;
  cs: SequenceBuffer;
  tanhCs: SequenceBuffer;
  /** `[B, H]` gradient of the final carry, null when unused. */
  dc: SequenceBuffer | null;
}

/** The gradients, as workspace buffers. */
export interface LSTMSequenceGradients {
  /** `[T·B, 4H]`, rows by input time (the shape `[T, B, 4H]` of `xProj`), or per gate `[T·B, H]`. */
  dxProj: SequenceBuffer[];
  /** `[4H]`: the column sums of dz. */
  dBias: SequenceBuffer;
  dRecurrentKernel: SequenceBuffer;
  dh0: SequenceBuffer;
  dc0: SequenceBuffer;
}

/** Runs the backward loop; the buffers it returns belong to `ws` (`gateMajor`: dxProj per gate). */
export function lstmSequenceBackward(
  ws: SequenceWorkspace,
  x: LSTMSequenceBackwardInputs,
  attrs: LSTMSequenceAttrs,
  dims: SequenceDims,
  gateMajor: boolean,
): LSTMSequenceGradients {
  const { T, B, H } = dims;
  const BH = B * H;
  const H4 = 4 * H;
  const TB = T * B;
  const perGate = x.recurrentMasks !== null;
  const dxProj = ws.alloc([TB, H4]);
  const dh0 = ws.alloc([B, H]);
  const dc0 = ws.alloc([B, H]);
  // Per step: dz (per gate with dropout) times the transposed kernel (blocks).
  const dzStep = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H4])];
  const back = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H])];
  const kernelsT = splitGateColumns(ws, x.recurrentKernel, perGate ? 4 : 1, true);
  // For the kernel gradient after the loop: h₋₁ `[T·B, H]`, rows by input time (with dropout one
  // copy per gate times its mask).
  const hPrevAll = (perGate ? [0, 1, 2, 3] : [0]).map(() => ws.alloc([TB, H]));

  // The running gradients, [B, H] each on the workspace (so the step loops can run as SIMD): of
  // h after the current step, of c, of the output a masked step repeated, and of the previous h
  // that skips the recurrent products.
  const [dh, dc, carried, passH] = [dh0, dc0, ws.alloc([B, H]), ws.alloc([B, H])];
  const start = (buffer: SequenceBuffer, from: SequenceBuffer | null): void => {
    if (from === null) ws.view(buffer).fill(0);
    else ws.view(buffer).set(ws.view(from));
  };
  start(dh, x.dh);
  start(dc, x.dc);
  start(carried, null);
  const noDy = ws.alloc([H]);
  ws.view(noDy).fill(0);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);

  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const skip = skippedSamples(keep, s, B);
    const [dcv, carriedv] = [ws.view(dc), ws.view(carried)];
    // What a skipped sample keeps: its carry's gradient, and the output gradient it passes on.
    const dcBefore = skip.map((b) => dcv.slice(b * H, (b + 1) * H));
    const carriedBefore = skip.map((b) => carriedv.slice(b * H, (b + 1) * H));
    const dy = x.dOutputs === null ? rows(ws.view(noDy), 0, 0) : rows(ws.view(x.dOutputs), s * BH, H);
    const gv = ws.view(x.gates);
    const gOff = s * B * H4;
    const dxv = ws.view(dxProj);
    const dzv = dzStep.map((b) => ws.view(b));
    const dzOperands = [0, 1, 2, 3].map((g) => (perGate ? rows(dzv[g]!, 0, H) : rows(dzv[0]!, g * H, H4)));
    const dxRows = [rows(dxv, t * B * H4, H4)];
    lstmLoops.run(ws.memory, 'backward', B, H, [
      ...[0, 1, 2, 3].map((g) => rows(gv, gOff + g * H, H4)),
      rows(ws.view(x.tanhCs), s * BH, H),
      rows(s === 0 ? ws.view(x.c0) : ws.view(x.cs), prevOff, H),
      dy,
      rows(carriedv, 0, H),
      rows(ws.view(dh), 0, H),
      rows(dcv, 0, H),
      rows(ws.view(passH), 0, H),
      ...[0, 1, 2, 3].map((g) => rows(dxv, t * B * H4 + g * H, H4)),
      ...dzOperands,
    ]);
    // A skipped sample's states were carried: their gradients pass to the previous step unchanged.
    const views = { dh: ws.view(dh), passH: ws.view(passH), carried: carriedv };
    passSkippedSamples(skip, carriedBefore, H, dy, views, attrs.zeroOutputForMask);
    skip.forEach((b, j) => {
      dcv.set(dcBefore[j]!, b * H);
      zeroRow(dxRows, b, H4);
      zeroRow(dzOperands, b, H);
    });
    const hPrev = s === 0 ? ws.view(x.h0) : ws.view(x.hs);
    // This step's previous h into rows block t (times each gate's mask), for the kernel gradient.
    if (!perGate) {
      ws.view(hPrevAll[0]!).set(hPrev.subarray(prevOff, prevOff + BH), t * BH);
    } else {
      for (let g = 0; g < 4; g++) {
        runMaskedState(lstmLoops, ws, ws.view(hPrevAll[g]!), t * BH, hPrev, prevOff, x.recurrentMasks!, g, BH);
      }
    }
    for (let g = 0; g < dzStep.length; g++) ws.matmul(dzStep[g]!, kernelsT[g]!, back[g]!);
    runStateGradient(lstmLoops, ws, dh, passH, back, x.recurrentMasks);
  }

  // dR = Σ_t h₋₁ᵀ·dz, per gate with dropout.
  const dRecurrentKernel = recurrentKernelGradient(
    ws,
    dxProj,
    perGate ? hPrevAll : [0, 1, 2, 3].map(() => hPrevAll[0]!),
  );
  return {
    dxProj: gateMajor ? splitGates(ws, dxProj, 4, H) : [dxProj],
    dBias: columnSums(ws, dxProj),
    dRecurrentKernel,
    dh0,
    dc0,
  };
}
