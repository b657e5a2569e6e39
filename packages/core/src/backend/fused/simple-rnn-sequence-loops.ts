/**
 * The forward and backward time loops of the whole-sequence SimpleRNN kernel (Keras's default
 * activation, tanh; one recurrent dropout mask `m` per call):
 *
 *     h = tanh(xProj[t] + b + (h₋₁ ⊙ m)·U)
 *
 * The product runs on the workspace's matmul, tanh on its sigmoid (tanh(x) = 2·sigmoid(2x) − 1).
 * Steps run in processing order; a sample whose time-mask entry is 0 keeps its state and repeats
 * its output (or outputs 0 with `zeroOutputForMask`), as `RNN` does. The backward loop walks the
 * steps in reverse, passes a masked sample's gradients through, and sums the kernel's gradient in
 * one product after the loop.
 */
import type { SequenceAttrs } from './sequence-kernel.js';
import {
  columnSums,
  inputStep,
  keepTable,
  recurrentKernelGradient,
  runningGradients,
  splitGateColumns,
  type SequenceDims,
  type RecurrentInputs,
  type IncomingGradients,
} from './sequence-steps.js';
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** The forward inputs, as workspace buffers. */
export interface SimpleRNNSequenceInputs extends RecurrentInputs {
  /** `[T, B, H]` input projection without bias, by input time. */
  xProj: SequenceBuffer;
  /** `[H]`, or null. */
  bias: SequenceBuffer | null;
}

/** The forward results, in processing order. */
export interface SimpleRNNSequenceForward {
  outputs: SequenceBuffer;
  /** `[T, B, H]` the tanh of every step (the new state where the step was not masked). */
  gates: SequenceBuffer;
  /** `[T, B, H]` states after every step. */
  hs: SequenceBuffer;
}

/** `v = h₋₁ ⊙ m` (or a copy of h₋₁), `[B·H]` from `prevOff`, written at `to`. */
function maskedState(
  hPrev: Float32Array,
  prevOff: number,
  m: Float32Array | null,
  v: Float32Array,
  to: number,
  n: number,
) {
  if (m === null) v.set(hPrev.subarray(prevOff, prevOff + n), to);
  else for (let k = 0; k < n; k++) v[to + k] = hPrev[prevOff + k]! * m[k]!;
}

/** Runs the forward loop; the buffers it returns belong to `ws`. */
export function simpleRNNSequenceForward(
  ws: SequenceWorkspace,
  x: SimpleRNNSequenceInputs,
  attrs: SequenceAttrs,
  dims: SequenceDims,
): SimpleRNNSequenceForward {
  const { T, B, H } = dims;
  const BH = B * H;
  const [outputs, gates, hs] = [0, 1, 2].map(() => ws.alloc([T, B, H])) as [
    SequenceBuffer,
    SequenceBuffer,
    SequenceBuffer,
  ];
  const lhs = ws.alloc([B, H]);
  const product = ws.alloc([B, H]);
  const twoPre = ws.alloc([B, H]);
  const sig = ws.alloc([B, H]);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  const noBias = new Float32Array(H);
  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevOf = (): Float32Array => (s === 0 ? ws.view(x.h0) : ws.view(hs));
    maskedState(prevOf(), prevOff, x.recurrentMasks === null ? null : ws.view(x.recurrentMasks), ws.view(lhs), 0, BH);
    ws.matmul(lhs, x.recurrentKernel, product);
    const [xp, b, p, two] = [
      ws.view(x.xProj),
      x.bias === null ? noBias : ws.view(x.bias),
      ws.view(product),
      ws.view(twoPre),
    ];
    for (let k = 0; k < BH; k++) two[k] = 2 * (xp[t * BH + k]! + b[k % H]! + p[k]!);
    ws.sigmoid(twoPre, sig);
    const [sg, gv, hv, out, hPrev] = [ws.view(sig), ws.view(gates), ws.view(hs), ws.view(outputs), prevOf()];
    const repeat = !attrs.zeroOutputForMask && s > 0;
    for (let k = 0; k < BH; k++) {
      const h = 2 * sg[k]! - 1;
      const cur = s * BH + k;
      gv[cur] = h;
      if (keep[s * B + Math.floor(k / H)] === 1) {
        hv[cur] = h;
        out[cur] = h;
      } else {
        hv[cur] = hPrev[prevOff + k]!;
        out[cur] = repeat ? out[cur - BH]! : 0;
      }
    }
  }
  return { outputs, gates, hs };
}

/** What the backward pass reads. */
export interface SimpleRNNSequenceBackwardInputs extends RecurrentInputs, IncomingGradients {
  gates: SequenceBuffer;
  hs: SequenceBuffer;
}

/** The gradients: of the projection `[T·B, H]` (rows by input time), the bias, the kernel, h0. */
export interface SimpleRNNSequenceGradients {
  dxProj: SequenceBuffer;
  dBias: SequenceBuffer;
  dRecurrentKernel: SequenceBuffer;
  dh0: SequenceBuffer;
}

/** Runs the backward loop; the buffers it returns belong to `ws`. */
export function simpleRNNSequenceBackward(
  ws: SequenceWorkspace,
  x: SimpleRNNSequenceBackwardInputs,
  attrs: SequenceAttrs,
  dims: SequenceDims,
): SimpleRNNSequenceGradients {
  const { T, B, H } = dims;
  const BH = B * H;
  const dxProj = ws.alloc([T * B, H]);
  const lhsAll = ws.alloc([T * B, H]);
  const [kernelT] = splitGateColumns(ws, x.recurrentKernel, 1, true) as [SequenceBuffer];
  const dStep = ws.alloc([B, H]);
  const back = ws.alloc([B, H]);
  const dh0 = ws.alloc([B, H]);
  const { dh, carried, passH } = runningGradients(ws, x.dh, BH);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const [gv, dxv, dv] = [ws.view(x.gates), ws.view(dxProj), ws.view(dStep)];
    const dy = x.dOutputs === null ? null : ws.view(x.dOutputs);
    for (let k = 0; k < BH; k++) {
      const gy = (dy === null ? 0 : dy[s * BH + k]!) + carried[k]!;
      let dPre = 0;
      if (keep[s * B + Math.floor(k / H)] === 1) {
        const h = gv[s * BH + k]!;
        dPre = (gy + dh[k]!) * (1 - h * h);
        passH[k] = 0;
        carried[k] = 0;
      } else {
        // The state was carried: its gradient passes to the previous step unchanged.
        passH[k] = dh[k]!;
        carried[k] = attrs.zeroOutputForMask ? 0 : gy;
      }
      dxv[t * BH + k] = dPre;
      dv[k] = dPre;
    }
    const m = x.recurrentMasks === null ? null : ws.view(x.recurrentMasks);
    maskedState(s === 0 ? ws.view(x.h0) : ws.view(x.hs), s === 0 ? 0 : (s - 1) * BH, m, ws.view(lhsAll), t * BH, BH);
    ws.matmul(dStep, kernelT, back);
    const bv = ws.view(back);
    const mv = x.recurrentMasks === null ? null : ws.view(x.recurrentMasks);
    for (let k = 0; k < BH; k++) dh[k] = passH[k]! + bv[k]! * (mv === null ? 1 : mv[k]!);
  }
  ws.view(dh0).set(dh);
  return {
    dxProj,
    dBias: columnSums(ws, dxProj),
    dRecurrentKernel: recurrentKernelGradient(ws, dxProj, [lhsAll]),
    dh0,
  };
}
