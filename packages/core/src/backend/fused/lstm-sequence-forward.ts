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
import { lstmLoops } from './lstm-step-loops.js';
import type { RowArray } from './row-loops.js';
import { rows, runMaskedState, skippedSamples } from './sequence-loops.js';
import { inputStep, keepTable, splitGateColumns, type SequenceDims, type RecurrentInputs } from './sequence-steps.js';
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

/** Row `b` of a `[B, width]` block at `off`: where a sample the time mask skips takes its old values back. */
function restoreRow(dst: Float32Array, dstOff: number, src: Float32Array, srcOff: number, b: number, H: number): void {
  dst.set(src.subarray(srcOff + b * H, srcOff + (b + 1) * H), dstOff + b * H);
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
  // On the heap (so the SIMD loop runs): a view off it would make the loop interpret.
  const noBias = ws.alloc([H4]);
  ws.view(noBias).fill(0);

  const run = (name: string, arrays: RowArray[], scalars?: number[]): void =>
    lstmLoops.run(ws.memory, name, B, H, arrays, scalars);

  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, attrs.goBackwards);
    const prevOff = s === 0 ? 0 : (s - 1) * BH;
    const prevH = s === 0 ? ws.view(x.h0) : ws.view(hs);
    if (perGate) {
      const masks = x.recurrentMasks!;
      for (let g = 0; g < 4; g++) runMaskedState(lstmLoops, ws, ws.view(lhs[g]!), 0, prevH, prevOff, masks, g, BH);
    } else {
      ws.view(lhs[0]!).set(prevH.subarray(prevOff, prevOff + BH));
    }
    for (let g = 0; g < lhs.length; g++) ws.matmul(lhs[g]!, kernels[g]!, products[g]!);
    // Views are taken after each call that may allocate (and so move the heap).
    const biasValues = ws.view(x.bias ?? noBias);
    const zv = ws.view(z);
    for (let g = 0; g < 4; g++) {
      // Gate g's recurrent product: its own [B, H] buffer with dropout, else a block of [B, 4H].
      const rec = perGate ? rows(ws.view(products[g]!), 0, H) : rows(ws.view(products[0]!), g * H, H4);
      const xp =
        x.xProj.length === 1
          ? rows(ws.view(x.xProj[0]!), t * B * H4 + g * H, H4)
          : rows(ws.view(x.xProj[g]!), t * BH, H);
      run('pre_activation', [rows(zv, g * H, H4), xp, rows(biasValues, g * H, 0), rec], [g === 2 ? 2 : 1]);
    }
    ws.sigmoid(z, act);
    const cPrev = s === 0 ? ws.view(x.c0) : ws.view(cs);
    const [av, gv, csv, twoCv] = [ws.view(act), ws.view(gates), ws.view(cs), ws.view(twoC)];
    const gOff = s * B * H4;
    run('carry', [
      ...[0, 1, 2, 3].map((g) => rows(av, g * H, H4)),
      rows(cPrev, prevOff, H),
      ...[0, 1, 2, 3].map((g) => rows(gv, gOff + g * H, H4)),
      rows(csv, s * BH, H),
      rows(twoCv, 0, H),
    ]);
    // A sample the time mask skips keeps its carry (and so its tanh(c)).
    const skip = skippedSamples(keep, s, B);
    for (const b of skip) {
      restoreRow(csv, s * BH, cPrev, prevOff, b, H);
      for (let u = 0; u < H; u++) twoCv[b * H + u] = 2 * csv[s * BH + b * H + u]!;
    }
    ws.sigmoid(twoC, sig2c);
    const [hv, ov] = [ws.view(hs), ws.view(outputs)];
    run('hidden', [
      rows(ws.view(sig2c), 0, H),
      rows(ws.view(gates), gOff + 3 * H, H4),
      rows(ws.view(tanhCs), s * BH, H),
      rows(hv, s * BH, H),
      rows(ov, s * BH, H),
    ]);
    // ...and its state; its output repeats the previous output (or is 0 with zeroOutputForMask).
    for (const b of skip) {
      restoreRow(hv, s * BH, s === 0 ? ws.view(x.h0) : hv, prevOff, b, H);
      if (!attrs.zeroOutputForMask && s > 0) restoreRow(ov, s * BH, ov, prevOff, b, H);
      else ov.fill(0, s * BH + b * H, s * BH + (b + 1) * H);
    }
  }
  return { outputs, gates, hs, cs, tanhCs };
}
