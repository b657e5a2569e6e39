/**
 * Test support shared by the whole-sequence kernel tests (lstm-sequence.test.ts,
 * gru-sequence.test.ts): the cases, the sizes, the masks, and the comparison of a kernel's results
 * and gradients with the composed reference's, leak checks included.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { FusedBackend } from './sequence-workspace.js';

/** One configuration of a kernel call. */
export interface SequenceCase {
  name: string;
  /** Pass the bias(es) to the kernel (else none). */
  bias?: boolean;
  /** Pass the projection as one tensor per gate. */
  gateMajor?: boolean;
  dropout?: boolean;
  timeMask?: boolean;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
}

export const SEQUENCE_CASES: SequenceCase[] = [
  { name: 'plain' },
  { name: 'bias', bias: true },
  { name: 'per-gate projections and bias', bias: true, gateMajor: true },
  { name: 'recurrent dropout masks', dropout: true },
  { name: 'recurrent dropout masks, per-gate projections, bias', dropout: true, gateMajor: true, bias: true },
  { name: 'time mask', timeMask: true },
  {
    name: 'time mask, backwards, recurrent dropout, bias',
    timeMask: true,
    goBackwards: true,
    dropout: true,
    bias: true,
  },
  { name: 'time mask, zero output for masked steps', timeMask: true, zeroOutputForMask: true },
  { name: 'backwards', goBackwards: true },
];

/** Time steps, batch, units of the kernel tests. */
export const [T, B, H] = [5, 3, 4];

/** `gates` recurrent dropout masks `[B, H]` (rate 0.3, scaled), or null without dropout. */
export function dropoutMasks(c: SequenceCase, gates: number): tf.Tensor[] | null {
  if (c.dropout !== true) return null;
  return Array.from({ length: gates }, (_, g) =>
    tf.mul(tf.cast(tf.greater(tf.randomUniform([B, H], 0, 1, 'float32', 5 + g), 0.3), 'float32'), 1 / 0.7),
  );
}

/** The `[B, T]` time mask of a masked case: sample 1 ends in padding, sample 2 starts with it, sample 0 has a gap. */
export function timeMaskOf(c: SequenceCase): tf.Tensor | null {
  if (c.timeMask !== true) return null;
  return tf.tensor2d(
    [
      [1, 1, 0, 1, 1],
      [1, 1, 1, 0, 0],
      [0, 0, 1, 1, 1],
    ],
    [B, T],
    'bool',
  );
}

const numDataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** Results and gradients of one evaluation. */
export interface Evaluation {
  results: tf.Tensor[];
  grads: tf.Tensor[];
}

/**
 * Evaluates the kernel (`fused`) and the reference (`composed`) and expects equal results (1e-6)
 * and gradients (1e-5), and no tensor or backend buffer left behind.
 */
export function expectSameAsComposed(fused: () => Evaluation, composed: () => Evaluation): void {
  const before = tf.memory().numTensors;
  const dataIdsBefore = numDataIds();
  const got = fused();
  const want = composed();
  got.results.forEach((r, i) => expect(maxDiff(r, want.results[i]!)).toBeLessThan(1e-6));
  got.grads.forEach((g, i) => expect(maxDiff(g, want.grads[i]!)).toBeLessThan(1e-5));
  tf.dispose([got.results, got.grads, want.results, want.grads]);
  expect(tf.memory().numTensors).toBe(before);
  // No scratch buffer of the kernels is left behind either.
  expect(numDataIds()).toBe(dataIdsBefore);
}

/**
 * `describe`s `body` for the wasm and the cpu backend, after a test that `register` registers the
 * `kernel`'s kernels there (`has` tells); the previous backend is restored afterwards.
 */
export function describeOnBackends(
  kernel: string,
  register: (backend: FusedBackend) => void,
  has: () => boolean,
  body: (backend: FusedBackend) => void,
): void {
  for (const backend of ['wasm', 'cpu'] as const) {
    describe(`whole-sequence ${kernel} kernel on ${backend} equals the composed per-step loop`, () => {
      const previous = tf.getBackend();
      afterAll(async () => {
        await tf.setBackend(previous);
      });

      it('is registered for this backend', async () => {
        register(backend);
        expect(await tf.setBackend(backend)).toBe(true);
        expect(has()).toBe(true);
      });

      body(backend);
    });
  }
}

/**
 * Expects `run` (results and gradients of one evaluation) to call the forward kernel `names[0]`
 * twice (for the results, and inside the gradient's tape) and the gradient kernel `names[1]` once.
 */
export async function expectOneKernelEachWay(names: [string, string], run: () => void): Promise<void> {
  const info = await tf.profile(run);
  expect(names.map((name) => info.kernels.filter((k) => k.name === name).length)).toEqual([2, 1]);
}

/**
 * `RNN`'s per-step loop over composed ops (see layers/rnn/rnn.ts), over the time-major `steps` of
 * the input projection: `step(x, states)` returns the new states, the first of them the output. A
 * masked sample keeps its states and repeats its previous output (or outputs 0). Returns the
 * outputs `[T, B, H]` in processing order and the final states.
 */
export function composedLoop(
  steps: tf.Tensor[],
  initialStates: tf.Tensor[],
  timeMask: tf.Tensor | null,
  c: SequenceCase,
  step: (x: tf.Tensor, states: tf.Tensor[]) => tf.Tensor[],
): tf.Tensor[] {
  const keeps = timeMask === null ? null : tf.unstack(tf.cast(timeMask, 'bool'), 1).map((m) => tf.expandDims(m, 1));
  let states = initialStates;
  let previous: tf.Tensor | null = null;
  const outputs: tf.Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const t = c.goBackwards ? T - 1 - s : s;
    const next = step(steps[t]!, states);
    let output = next[0]!;
    if (keeps !== null) {
      const keep = tf.broadcastTo(keeps[t]!, output.shape);
      output = tf.where(keep, output, c.zeroOutputForMask || previous === null ? tf.zerosLike(output) : previous);
      states = next.map((v, i) => tf.where(keep, v, states[i]!));
    } else {
      states = next;
    }
    outputs.push(output);
    previous = output;
  }
  return [tf.stack(outputs, 0), ...states];
}
