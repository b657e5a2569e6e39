/**
 * SimpleRNN, LSTM and GRU forward outputs with fixed weights against PyTorch
 * (fixtures/recurrent.fixture.py; gate orders and GRU reset_after mapped there).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { SimpleRNN } from './simple-rnn.js';
import type { RNN } from './rnn.js';

type Nested = number | Nested[];
interface Case {
  kernel: Nested;
  recurrent_kernel: Nested;
  bias: Nested;
  sequence: Nested;
  state?: Nested;
  h?: Nested;
  c?: Nested;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/recurrent.fixture.json', import.meta.url), 'utf8'),
) as Record<string, Case> & { input: Nested; h0: Nested; c0: Nested };

function expectClose(actual: tf.Tensor, expected: Nested, tolerance = 1e-5): void {
  const want = tf.tensor(expected as number[]);
  expect(actual.shape).toEqual(want.shape);
  const diff = tf.max(tf.abs(tf.sub(actual, want))).dataSync()[0]!;
  expect(diff).toBeLessThan(tolerance);
  want.dispose();
}

function run(layer: RNN, weights: Case, states: Nested[]): tf.Tensor[] {
  const x = tf.tensor(fixture.input as number[]);
  const initialState = states.map((s) => tf.tensor(s as number[]));
  layer.maybeBuild(x.shape);
  layer.setWeights([weights.kernel, weights.recurrent_kernel, weights.bias].map((w) => tf.tensor(w as number[])));
  const out = layer.applyMulti(x, { initialState });
  tf.dispose([x, ...initialState]);
  return out;
}

describe('recurrent layers match PyTorch to 1e-5', () => {
  it('SimpleRNN', () => {
    const c = fixture['simple_rnn']!;
    const [seq, h] = run(new SimpleRNN(4, { returnSequences: true, returnState: true }), c, [fixture.h0]);
    expectClose(seq!, c.sequence);
    expectClose(h!, c.state!);
  });

  it('LSTM (gate order i, f, c, o; states h and c)', () => {
    const c = fixture['lstm']!;
    const [seq, h, cell] = run(new LSTM(4, { returnSequences: true, returnState: true }), c, [fixture.h0, fixture.c0]);
    expectClose(seq!, c.sequence);
    expectClose(h!, c.h!);
    expectClose(cell!, c.c!);
  });

  it('GRU with resetAfter (Keras 3 default; bias of shape [2, 3·units])', () => {
    const c = fixture['gru_reset_after']!;
    const layer = new GRU(4, { returnSequences: true, returnState: true });
    const [seq, h] = run(layer, c, [fixture.h0]);
    expect(layer.cell.bias!.shape).toEqual([2, 12]);
    expectClose(seq!, c.sequence);
    expectClose(h!, c.state!);
  });

  it('GRU with resetAfter false', () => {
    const c = fixture['gru_reset_before']!;
    const [seq, h] = run(new GRU(4, { returnSequences: true, returnState: true, resetAfter: false }), c, [fixture.h0]);
    expectClose(seq!, c.sequence);
    expectClose(h!, c.state!);
  });

  it('the implementation-1 path (per gate) gives the same numbers as the fused one', () => {
    const c = fixture['lstm']!;
    const fused = run(new LSTM(4, { returnSequences: true }), c, [fixture.h0, fixture.c0])[0]!;
    const perGate = run(new LSTM(4, { returnSequences: true, implementation: 1 }), c, [fixture.h0, fixture.c0])[0]!;
    expectClose(perGate, Array.from(fused.arraySync() as Nested[]) as Nested);
  });
});
