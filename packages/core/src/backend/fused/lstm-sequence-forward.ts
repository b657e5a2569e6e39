/**
 * The forward time loop of the whole-sequence LSTM kernel (Keras's default activations):
 *
 *     z = xProj[t] + rec(h₋₁),  i, f, o = sigmoid(zi, zf, zo),  g = tanh(zc),
 *     c = f·c₋₁ + i·g,  h = o·tanh(c)
 *
 * where `rec(h) = h·R`, or with recurrent dropout (Keras implementation 1) each gate's block
 * `(h ⊙ m_gate)·R_gate`. Steps run in processing order `s` (input index `t = T−1−s` with
 * `goBackwards`); a sample whose time-mask entry is 0 keeps its states, and its output is the
 * previous output (or 0 with `zeroOutputForMask`), as the per-step loop of `RNN` does.
 */
import type { SequenceBuffer, SequenceWorkspace } from './sequence-workspace.js';

/** The kernel's inputs, as workspace buffers. */
export interface LSTMSequenceInputs {
  /** `[T, B, 4H]`: the input projection with the bias, time-major, indexed by input time. */
  xProj: SequenceBuffer;
  /** `[H, 4H]`, gate blocks i, f, c, o. */
  recurrentKernel: SequenceBuffer;
  /** `[B, H]` initial states. */
  h0: SequenceBuffer;
  c0: SequenceBuffer;
  /** `[4, B, H]` recurrent dropout masks, one per gate, or null. */
  recurrentMasks: SequenceBuffer | null;
  /** `[B, T]` time mask (0 = skip the step), or null. */
  timeMask: ArrayLike<number> | null;
}

/** The kernel's attributes. */
export interface LSTMSequenceAttrs {
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** The forward results: outputs and the values the backward pass reads, all in processing order. */
export interface LSTMSequenceForward {
  /** `[T, B, H]` outputs. */
  outputs: SequenceBuffer;
  /** `[T, B, 4H]` gate activations i, f, g, o of every step. */
  gates: SequenceBuffer;
  /** `[T, B, H]` states after every step. */
  hs: SequenceBuffer;
  cs: SequenceBuffer;
}

/** The sizes of a call: time steps, batch, units. */
export interface SequenceDims {
  T: number;
  B: number;
  H: number;
}

/** The input index of processing step `s`. */
export const inputStep = (s: number, T: number, goBackwards: boolean): number => (goBackwards ? T - 1 - s : s);

/** Copies the gate blocks of `kernel` `[rows, gates·H]` into `gates` buffers `[rows, H]` (each a matmul operand). */
export function splitGateColumns(
  ws: SequenceWorkspace,
  kernel: SequenceBuffer,
  gates: number,
  transpose: boolean,
): SequenceBuffer[] {
  const [rows, width] = kernel.shape as [number, number];
  const H = width / gates;
  const blocks = Array.from({ length: gates }, () => ws.alloc(transpose ? [H, rows] : [rows, H]));
  const k = ws.view(kernel);
  blocks.forEach((block, g) => {
    const v = ws.view(block);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        v[transpose ? j * rows + r : r * H + j] = k[r * width + g * H + j]!;
      }
    }
  });
  return blocks;
}

/**
 * Which samples each processing step updates, `[T·B]` by processing step (1 = update; all ones
 * without a time mask). One monomorphic array keeps the step loops simple.
 */
export function keepTable(mask: ArrayLike<number> | null, { T, B }: SequenceDims, goBackwards: boolean): Uint8Array {
  const keep = new Uint8Array(T * B).fill(1);
  if (mask === null) return keep;
  for (let s = 0; s < T; s++) {
    const t = inputStep(s, T, goBackwards);
    for (let b = 0; b < B; b++) keep[s * B + b] = mask[b * T + t] !== 0 ? 1 : 0;
  }
  return keep;
}

/**
 * One step's gate arithmetic over the batch, from the step's input projection (`xp` at `xOff`)
 * and recurrent product `rec` `[B, 4H]`; writes gates, states and outputs at row offset `gOff` /
 * `cur`, reading the previous states at `prevOff`. A small function of typed arrays, so V8
 * optimizes it once for every call.
 */
function forwardStep(
  B: number,
  H: number,
  xp: Float32Array,
  xOff: number,
  rec: Float32Array,
  keep: Uint8Array,
  keepOff: number,
  hPrev: Float32Array,
  cPrev: Float32Array,
  prevOff: number,
  gates: Float32Array,
  gOff: number,
  hs: Float32Array,
  cs: Float32Array,
  outputs: Float32Array,
  cur: number,
  repeatOutput: boolean,
): void {
  const H4 = 4 * H;
  for (let b = 0; b < B; b++) {
    const z = xOff + b * H4;
    const r = b * H4;
    const g0 = gOff + b * H4;
    const kept = keep[keepOff + b] === 1;
    for (let u = 0; u < H; u++) {
      const i = 1 / (1 + Math.exp(-(xp[z + u]! + rec[r + u]!)));
      const f = 1 / (1 + Math.exp(-(xp[z + H + u]! + rec[r + H + u]!)));
      const g = Math.tanh(xp[z + 2 * H + u]! + rec[r + 2 * H + u]!);
      const o = 1 / (1 + Math.exp(-(xp[z + 3 * H + u]! + rec[r + 3 * H + u]!)));
      gates[g0 + u] = i;
      gates[g0 + H + u] = f;
      gates[g0 + 2 * H + u] = g;
      gates[g0 + 3 * H + u] = o;
      const k = b * H + u;
      if (kept) {
        const c = f * cPrev[prevOff + k]! + i * g;
        const h = o * Math.tanh(c);
        cs[cur + k] = c;
        hs[cur + k] = h;
        outputs[cur + k] = h;
      } else {
        // A masked step carries the states and repeats the previous output (or outputs 0).
        cs[cur + k] = cPrev[prevOff + k]!;
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
  const gates = ws.alloc([T, B, H4]);
  const perGate = x.recurrentMasks !== null;
  // Per gate: that gate's masked copy of h and block of R; else h and the whole R.
  const lhs = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H])];
  const products = perGate ? [0, 1, 2, 3].map(() => ws.alloc([B, H])) : [ws.alloc([B, H4])];
  const kernels = perGate ? splitGateColumns(ws, x.recurrentKernel, 4, false) : [x.recurrentKernel];
  const keep = keepTable(x.timeMask, dims, attrs.goBackwards);
  // The per-gate products gathered into one [B, 4H] row layout.
  const gathered = new Float32Array(perGate ? B * H4 : 0);

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
      for (let g = 0; g < 4; g++) {
        const p = ws.view(products[g]!);
        for (let b = 0; b < B; b++) gathered.set(p.subarray(b * H, (b + 1) * H), b * H4 + g * H);
      }
      rec = gathered;
    } else {
      rec = ws.view(products[0]!);
    }
    // Views after this step's products (which may have moved the heap).
    const hv = ws.view(hs);
    const cv = ws.view(cs);
    forwardStep(
      B,
      H,
      ws.view(x.xProj),
      t * B * H4,
      rec,
      keep,
      s * B,
      s === 0 ? ws.view(x.h0) : hv,
      s === 0 ? ws.view(x.c0) : cv,
      prevOff,
      ws.view(gates),
      s * B * H4,
      hv,
      cv,
      ws.view(outputs),
      s * BH,
      !attrs.zeroOutputForMask && s > 0,
    );
  }
  return { outputs, gates, hs, cs };
}
