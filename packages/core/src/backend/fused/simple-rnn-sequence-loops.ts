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
import type { RowArray } from './row-loops.js';
import type { SequenceAttrs } from './sequence-kernel.js';
import {
  passSkippedSamples,
  rows,
  runMaskedState,
  runStateGradient,
  skippedSamples,
  zeroRow,
} from './sequence-loops.js';
import { simpleRNNLoops } from './simple-rnn-step-loops.js';
import {
  columnSums,
  inputStep,
  keepTable,
  recurrentKernelGradient,
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

/** `out = h₋₁ ⊙ m` (or a copy of h₋₁), `[B·H]` from `hOff`, written at `outOff`. */
function previousState(
  ws: SequenceWorkspace,
  h: Float32Array,
  hOff: number,
  masks: SequenceBuffer | null,
  out: Float32Array,
  outOff: number,
  n: number,
): void {
  if (masks === null) out.set(h.subarray(hOff, hOff + n), outOff);
  else runMaskedState(simpleRNNLoops, ws, out, outOff, h, hOff, masks, 0, n);
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
  const noBias = ws.alloc([H]);
  ws.view(noBias).fill(0);
  const run = (name: string, arrays: RowArray[]): void => simpleRNNLoops.run(ws.memory, name, B, H, arrays);
  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevOf = (): Float32Array => (s === 0 ? ws.view(x.h0) : ws.view(hs));
    previousState(ws, prevOf(), prevOff, x.recurrentMasks, ws.view(lhs), 0, BH);
    ws.matmul(lhs, x.recurrentKernel, product);
    run('pre_activation', [
      rows(ws.view(twoPre), 0, H),
      rows(ws.view(x.xProj), t * BH, H),
      rows(ws.view(x.bias ?? noBias), 0, 0),
      rows(ws.view(product), 0, H),
    ]);
    ws.sigmoid(twoPre, sig);
    const [hv, out] = [ws.view(hs), ws.view(outputs)];
    run('state', [
      rows(ws.view(sig), 0, H),
      rows(ws.view(gates), s * BH, H),
      rows(hv, s * BH, H),
      rows(out, s * BH, H),
    ]);
    // A sample the time mask skips keeps its state; its output repeats the previous one (or is 0).
    const hPrev = prevOf();
    for (const b of skippedSamples(keep, s, B)) {
      const [from, to] = [s * BH + b * H, s * BH + (b + 1) * H];
      hv.set(hPrev.subarray(prevOff + b * H, prevOff + (b + 1) * H), from);
      if (!attrs.zeroOutputForMask && s > 0) out.copyWithin(from, from - BH, to - BH);
      else out.fill(0, from, to);
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
  // The running gradients, [B, H] on the workspace (see lstm-sequence-backward.ts).
  const [dh, carried, passH] = [dh0, ws.alloc([B, H]), ws.alloc([B, H])];
  if (x.dh === null) ws.view(dh).fill(0);
  else ws.view(dh).set(ws.view(x.dh));
  ws.view(carried).fill(0);
  const noDy = ws.alloc([H]);
  ws.view(noDy).fill(0);
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  for (let s = T - 1; s >= 0; s--) {
    const t = inputStep(s, T, attrs.goBackwards);
    const skip = skippedSamples(keep, s, B);
    const dy = x.dOutputs === null ? rows(ws.view(noDy), 0, 0) : rows(ws.view(x.dOutputs), s * BH, H);
    const carriedBefore = skip.map((b) => ws.view(carried).slice(b * H, (b + 1) * H));
    const outputs = [rows(ws.view(dxProj), t * BH, H), rows(ws.view(dStep), 0, H)];
    simpleRNNLoops.run(ws.memory, 'backward', B, H, [
      rows(ws.view(x.gates), s * BH, H),
      dy,
      rows(ws.view(carried), 0, H),
      rows(ws.view(dh), 0, H),
      rows(ws.view(passH), 0, H),
      ...outputs,
    ]);
    // A skipped sample's state was carried: its gradient passes to the previous step unchanged.
    const views = { dh: ws.view(dh), passH: ws.view(passH), carried: ws.view(carried) };
    passSkippedSamples(skip, carriedBefore, H, dy, views, attrs.zeroOutputForMask);
    for (const b of skip) zeroRow(outputs, b, H);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    previousState(ws, s === 0 ? ws.view(x.h0) : ws.view(x.hs), prevOff, x.recurrentMasks, ws.view(lhsAll), t * BH, BH);
    ws.matmul(dStep, kernelT, back);
    runStateGradient(simpleRNNLoops, ws, dh, passH, [back], x.recurrentMasks);
  }
  return {
    dxProj,
    dBias: columnSums(ws, dxProj),
    dRecurrentKernel: recurrentKernelGradient(ws, dxProj, [lhsAll]),
    dh0,
  };
}
