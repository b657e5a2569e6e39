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
import {
  columnSums,
  inputStep,
  keepTable,
  recurrentKernelGradient,
  runningGradients,
  type RunningGradients,
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

/** The running gradients, and that of the carry c. */
interface LSTMRunningGradients extends RunningGradients {
  dc: Float64Array;
}

/**
 * One step's gate derivatives over the batch: writes this step's dz to `dx` (`[B, 4H]` at `dxOff`)
 * and to the recurrent product's operands `d0`…`d3` (gate `g` of sample `b` at
 * `b·dStride + g·dGate`: one `[B, 4H]` operand, or one `[B, H]` per gate), and updates the running
 * gradients except the recurrent product's share.
 */
function backwardStep(
  B: number,
  H: number,
  gates: Float32Array,
  gOff: number,
  tanhCs: Float32Array,
  cur: number,
  cPrev: Float32Array,
  prevOff: number,
  dy: Float32Array,
  hasDy: boolean,
  keep: Uint8Array,
  keepOff: number,
  run: LSTMRunningGradients,
  dx: Float32Array,
  dxOff: number,
  d0: Float32Array,
  d1: Float32Array,
  d2: Float32Array,
  d3: Float32Array,
  dStride: number,
  dGate: number,
  zeroOutputForMask: boolean,
): void {
  const H4 = 4 * H;
  const { dh, dc, carried, passH } = run;
  for (let b = 0; b < B; b++) {
    const kept = keep[keepOff + b] === 1;
    const g0 = gOff + b * H4;
    const x0 = dxOff + b * H4;
    const z0 = b * dStride;
    for (let u = 0; u < H; u++) {
      const k = b * H + u;
      const gy = (hasDy ? dy[cur + k]! : 0) + carried[k]!;
      let dzi = 0;
      let dzf = 0;
      let dzg = 0;
      let dzo = 0;
      if (kept) {
        const i = gates[g0 + u]!;
        const f = gates[g0 + H + u]!;
        const g = gates[g0 + 2 * H + u]!;
        const o = gates[g0 + 3 * H + u]!;
        const tc = tanhCs[cur + k]!;
        // h = o·tanh(c) is both this step's output and its state.
        const dhNew = gy + dh[k]!;
        const dCarry = dc[k]! + dhNew * o * (1 - tc * tc);
        dzi = dCarry * g * i * (1 - i);
        dzf = dCarry * cPrev[prevOff + k]! * f * (1 - f);
        dzg = dCarry * i * (1 - g * g);
        dzo = dhNew * tc * o * (1 - o);
        dc[k] = dCarry * f;
        passH[k] = 0;
        carried[k] = 0;
      } else {
        // The states were carried: their gradients pass to the previous step unchanged.
        passH[k] = dh[k]!;
        carried[k] = zeroOutputForMask ? 0 : gy;
      }
      dx[x0 + u] = dzi;
      dx[x0 + H + u] = dzf;
      dx[x0 + 2 * H + u] = dzg;
      dx[x0 + 3 * H + u] = dzo;
      d0[z0 + u] = dzi;
      d1[z0 + dGate + u] = dzf;
      d2[z0 + 2 * dGate + u] = dzg;
      d3[z0 + 3 * dGate + u] = dzo;
    }
  }
}

/** The views of the step's dz operands, four of them (the same one four times without dropout). */
function dzOperands(
  ws: SequenceWorkspace,
  dzStep: SequenceBuffer[],
): [Float32Array, Float32Array, Float32Array, Float32Array] {
  const v = dzStep.map((b) => ws.view(b));
  return v.length === 1 ? [v[0]!, v[0]!, v[0]!, v[0]!] : [v[0]!, v[1]!, v[2]!, v[3]!];
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

  const run: LSTMRunningGradients = { ...runningGradients(ws, x.dh, BH), dc: new Float64Array(BH) };
  if (x.dc !== null) run.dc.set(ws.view(x.dc));
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  const noDy = new Float32Array(0);

  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    backwardStep(
      B,
      H,
      ws.view(x.gates),
      s * B * H4,
      ws.view(x.tanhCs),
      s * BH,
      s === 0 ? ws.view(x.c0) : ws.view(x.cs),
      prevOff,
      x.dOutputs === null ? noDy : ws.view(x.dOutputs),
      x.dOutputs !== null,
      keep,
      s * B,
      run,
      ws.view(dxProj),
      t * B * H4,
      ...dzOperands(ws, dzStep),
      perGate ? H : H4,
      perGate ? 0 : H,
      attrs.zeroOutputForMask,
    );
    const hPrev = s === 0 ? ws.view(x.h0) : ws.view(x.hs);
    const masks = perGate ? ws.view(x.recurrentMasks!) : null;
    // This step's previous h, transposed into column block t (times each gate's mask), and dz per gate.
    if (masks === null) {
      ws.view(hPrevAll[0]!).set(hPrev.subarray(prevOff, prevOff + BH), t * BH);
    } else {
      for (let g = 0; g < 4; g++) {
        const v = ws.view(hPrevAll[g]!);
        for (let k = 0; k < BH; k++) v[t * BH + k] = hPrev[prevOff + k]! * masks[g * BH + k]!;
      }
    }
    for (let g = 0; g < dzStep.length; g++) ws.matmul(dzStep[g]!, kernelsT[g]!, back[g]!);
    const backViews = back.map((b) => ws.view(b));
    const maskViews = perGate ? ws.view(x.recurrentMasks!) : null;
    const { dh, passH } = run;
    for (let k = 0; k < BH; k++) {
      let sum = passH[k]!;
      if (maskViews === null) sum += backViews[0]![k]!;
      else for (let g = 0; g < 4; g++) sum += backViews[g]![k]! * maskViews[g * BH + k]!;
      dh[k] = sum;
    }
  }
  ws.view(dh0).set(run.dh);
  ws.view(dc0).set(run.dc);

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
