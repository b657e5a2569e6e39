/**
 * The forward time loop of the whole-sequence LSTM kernel (Keras's default activations):
 *
 *     z = xProj[t] + bias + rec(h₋₁),  i, f, o = sigmoid(zi, zf, zo),  g = tanh(zc),
 *     c = f·c₋₁ + i·g,  h = o·tanh(c)
 *
 * where `rec(h) = h·R`, or with recurrent dropout (Keras implementation 1) each gate's block
 * `(h ⊙ m_gate)·R_gate`. The products run on the workspace's matmul and every nonlinearity on its
 * sigmoid (tanh(x) = 2·sigmoid(2x) − 1), the rest in small typed-array loops. Steps run in processing order `s` (input index `t = T−1−s` with
 * `goBackwards`); a sample whose time-mask entry is 0 keeps its states, and its output is the
 * previous output (or 0 with `zeroOutputForMask`), as the per-step loop of `RNN` does.
 */
import type { SequenceAttrs } from './sequence-kernel.js';
import {
  copyBlock,
  inputStep,
  keepTable,
  splitGateColumns,
  type SequenceDims,
  type RecurrentInputs,
} from './sequence-steps.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** The kernel's inputs, as workspace buffers. */
export interface LSTMSequenceInputs extends RecurrentInputs {
  /**
   * The input projection without the bias, time-major, indexed by input time: one `[T, B, 4H]`
   * buffer, or one `[T, B, H]` buffer per gate (with per-gate input dropout masks, so the gates'
   * products need not be concatenated).
   */
  xProj: SequenceBuffer[];
  /** `[4H]` bias, or null. */
  bias: SequenceBuffer | null;
  /** `[B, H]` initial carry. */
  c0: SequenceBuffer;
}

/** The kernel's attributes. */
export type LSTMSequenceAttrs = SequenceAttrs;

export interface LSTMSequenceForward {
  /** `[T, B, H]` outputs. */
  outputs: SequenceBuffer;
  /** `[T, B, 4H]` gate activations i, f, g, o of every step. */
  gates: SequenceBuffer;
  /** `[T, B, H]` states after every step. */
  hs: SequenceBuffer;
  cs: SequenceBuffer;
  /** `[T, B, H]` tanh of the new carry of every step (so the backward pass needs no tanh). */
  tanhCs: SequenceBuffer;
}

/**
 * `z = xProj[t] + bias + rec` for gate `g`'s block of `z` `[B, 4H]`, reading `B` rows of `H` from
 * `xp` (from `xOff`, row stride `xStride`); the cell gate's block is doubled (tanh(x) = 2·sigmoid(2x) − 1).
 */
function preActivations(
  xp: Float32Array,
  xOff: number,
  xStride: number,
  bias: Float32Array,
  rec: Float32Array,
  z: Float32Array,
  g: number,
  B: number,
  H: number,
): void {
  const H4 = 4 * H;
  const scale = g === 2 ? 2 : 1;
  for (let b = 0; b < B; b++) {
    const from = xOff + b * xStride;
    const to = b * H4 + g * H;
    for (let u = 0; u < H; u++) z[to + u] = scale * (xp[from + u]! + bias[g * H + u]! + rec[to + u]!);
  }
}

/**
 * From the step's gate sigmoids `act`: stores the gates (i, f, g, o), the new carry of every sample
 * (the previous one where masked) and `2c` for the next sigmoid.
 */
function carries(
  B: number,
  H: number,
  act: Float32Array,
  keep: Uint8Array,
  keepOff: number,
  cPrev: Float32Array,
  prevOff: number,
  gates: Float32Array,
  gOff: number,
  cs: Float32Array,
  cur: number,
  twoC: Float32Array,
): void {
  const H4 = 4 * H;
  for (let b = 0; b < B; b++) {
    const kept = keep[keepOff + b] === 1;
    for (let u = 0; u < H; u++) {
      const a = b * H4 + u;
      const i = act[a]!;
      const f = act[a + H]!;
      const g = 2 * act[a + 2 * H]! - 1;
      gates[gOff + a] = i;
      gates[gOff + a + H] = f;
      gates[gOff + a + 2 * H] = g;
      gates[gOff + a + 3 * H] = act[a + 3 * H]!;
      const k = b * H + u;
      const c = kept ? f * cPrev[prevOff + k]! + i * g : cPrev[prevOff + k]!;
      cs[cur + k] = c;
      twoC[k] = 2 * c;
    }
  }
}

/** `h = o·tanh(c)` from `sigmoid(2c)`; a masked sample carries h and repeats its output (or outputs 0). */
function hiddenStates(
  B: number,
  H: number,
  sig2c: Float32Array,
  keep: Uint8Array,
  keepOff: number,
  hPrev: Float32Array,
  prevOff: number,
  gates: Float32Array,
  gOff: number,
  hs: Float32Array,
  tanhCs: Float32Array,
  outputs: Float32Array,
  cur: number,
  repeatOutput: boolean,
): void {
  for (let b = 0; b < B; b++) {
    const kept = keep[keepOff + b] === 1;
    for (let u = 0; u < H; u++) {
      const k = b * H + u;
      const tc = 2 * sig2c[k]! - 1;
      tanhCs[cur + k] = tc;
      if (kept) {
        const h = gates[gOff + b * 4 * H + 3 * H + u]! * tc;
        hs[cur + k] = h;
        outputs[cur + k] = h;
      } else {
        hs[cur + k] = hPrev[prevOff + k]!;
        outputs[cur + k] = repeatOutput ? outputs[cur + k - B * H]! : 0;
      }
    }
  }
}

/** Runs the forward loop; the buffers it returns belong to `ws`. */
export function lstmSequenceForward(
  ws: SequenceWorkspace,
  x: LSTMSequenceInputs,
  attrs: LSTMSequenceAttrs,
  dims: SequenceDims,
): LSTMSequenceForward {
  const { T, B, H } = dims;
  const BH = B * H;
  const H4 = 4 * H;
  const outputs = ws.alloc([T, B, H]);
  const hs = ws.alloc([T, B, H]);
  const cs = ws.alloc([T, B, H]);
  const tanhCs = ws.alloc([T, B, H]);
  const gates = ws.alloc([T, B, H4]);
  const perGate = x.recurrentMasks !== null;
  // Per gate: that gate's masked copy of h and block of R; else h and the whole R.
  const lhs = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H])];
  const products = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H4])];
  const kernels = perGate ? splitGateColumns(ws, x.recurrentKernel, 4, false) : [x.recurrentKernel];
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  const z = ws.alloc([B, H4]);
  const act = ws.alloc([B, H4]);
  const twoC = ws.alloc([B, H]);
  const sig2c = ws.alloc([B, H]);
  // The per-gate products gathered into one [B, 4H] row layout.
  const gathered = new Float32Array(perGate ? B * H4 : 0);
  const noBias = new Float32Array(H4);

  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevH = s === 0 ? ws.view(x.h0) : ws.view(hs);
    if (perGate) {
      const masks = ws.view(x.recurrentMasks!);
      for (let g = 0; g < 4; g++) {
        const v = ws.view(lhs[g]!);
        for (let k = 0; k < BH; k++) v[k] = prevH[prevOff + k]! * masks[g * BH + k]!;
      }
    } else {
      ws.view(lhs[0]!).set(prevH.subarray(prevOff, prevOff + BH));
    }
    for (let g = 0; g < lhs.length; g++) ws.matmul(lhs[g]!, kernels[g]!, products[g]!);
    let rec: Float32Array;
    if (perGate) {
      for (let g = 0; g < 4; g++) copyBlock(ws.view(products[g]!), 0, H, gathered, g * H, H4, B, H);
      rec = gathered;
    } else {
      rec = ws.view(products[0]!);
    }
    // Views are taken after each call that may allocate (and so move the heap).
    const biasValues = x.bias === null ? noBias : ws.view(x.bias);
    for (let g = 0; g < 4; g++) {
      if (x.xProj.length === 1)
        preActivations(ws.view(x.xProj[0]!), t * B * H4 + g * H, H4, biasValues, rec, ws.view(z), g, B, H);
      else preActivations(ws.view(x.xProj[g]!), t * BH, H, biasValues, rec, ws.view(z), g, B, H);
    }
    ws.sigmoid(z, act);
    const cPrev = s === 0 ? ws.view(x.c0) : ws.view(cs);
    carries(
      B,
      H,
      ws.view(act),
      keep,
      s * B,
      cPrev,
      prevOff,
      ws.view(gates),
      s * B * H4,
      ws.view(cs),
      s * BH,
      ws.view(twoC),
    );
    ws.sigmoid(twoC, sig2c);
    const hv = ws.view(hs);
    hiddenStates(
      B,
      H,
      ws.view(sig2c),
      keep,
      s * B,
      s === 0 ? ws.view(x.h0) : hv,
      prevOff,
      ws.view(gates),
      s * B * H4,
      hv,
      ws.view(tanhCs),
      ws.view(outputs),
      s * BH,
      !attrs.zeroOutputForMask && s > 0,
    );
  }
  return { outputs, gates, hs, cs, tanhCs };
}
