/**
 * The built-in cells' whole-sequence plans (input projection hoisted out of the time loop, the
 * recurrent kernel split per gate once, the whole-sequence LSTM kernel) against the plain per-step reference: a
 * subclass that overrides `step` keeps the per-step path, so the two run side by side with the
 * same weights and seeds. Forward outputs and gradients, with and without masking and dropout.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { LSTM_GATES, LSTM_GATES_GRAD } from '../../backend/fused/lstm-gates.js';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../../backend/fused/lstm-sequence.js';
import { GRUCell, type GRUCellArgs } from './gru-cell.js';
import { LSTMCell, type LSTMCellArgs } from './lstm-cell.js';
import { RNN, type RNNArgs } from './rnn.js';
import type { RNNCell } from './rnn-cell.js';
import { StepGRUCell, StepLSTMCell, StepSimpleRNNCell } from './step-cells.test-suite.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import type { CellArgs } from './cell-options.js';

interface Case {
  name: string;
  make: (reference: boolean) => RNNCell;
  rnn?: RNNArgs;
  masked?: boolean;
}

const dropout = { dropout: 0.3, recurrentDropout: 0.4, seed: 11 };
const lstm = (args: LSTMCellArgs) => (reference: boolean) =>
  reference ? new StepLSTMCell(5, args) : new LSTMCell(5, args);
const gru = (args: GRUCellArgs) => (reference: boolean) =>
  reference ? new StepGRUCell(5, args) : new GRUCell(5, args);
const simple = (args: CellArgs) => (reference: boolean) =>
  reference ? new StepSimpleRNNCell(5, args) : new SimpleRNNCell(5, args);

const CASES: Case[] = [
  { name: 'LSTM, implementation 2', make: lstm({}) },
  { name: 'LSTM, input dropout only', make: lstm({ dropout: 0.3, seed: 3 }) },
  { name: 'LSTM, dropout + recurrent dropout (four masks per gate family)', make: lstm(dropout) },
  { name: 'LSTM, recurrent dropout, masked, backwards', make: lstm(dropout), rnn: { goBackwards: true }, masked: true },
  { name: 'LSTM, no bias, implementation 1', make: lstm({ useBias: false, implementation: 1 }) },
  { name: 'GRU, reset_after', make: gru({}) },
  { name: 'GRU, reset_after, dropout + recurrent dropout', make: gru(dropout), masked: true },
  { name: 'GRU, reset_before', make: gru({ resetAfter: false }) },
  {
    name: 'GRU, reset_before, dropout + recurrent dropout',
    make: gru({ ...dropout, resetAfter: false }),
    rnn: { goBackwards: true },
  },
  { name: 'SimpleRNN', make: simple({}) },
  { name: 'SimpleRNN, dropout + recurrent dropout, masked', make: simple(dropout), masked: true },
];

/** Runs one training-mode call and returns the output and the gradients of a weighted sum of it. */
function run(c: Case, reference: boolean, weights: tf.Tensor[] | null) {
  const layer = new RNN(c.make(reference), { returnSequences: true, ...c.rnn });
  const x = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 7);
  layer.maybeBuild(x.shape);
  if (weights !== null) layer.setWeights(weights);
  // The last two steps of sample 1 and the first of sample 2 are padding.
  const mask = c.masked
    ? tf.tensor2d(
        [
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 0, 0],
          [0, 1, 1, 1, 1, 1],
        ],
        [3, 6],
        'bool',
      )
    : null;
  const probe = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 8);
  const variables = layer.trainableWeights.map((w) => w.value);
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x, { training: true, mask }), probe)) as tf.Scalar,
    variables,
  );
  const output = layer.apply(x, { training: false, mask });
  const result = {
    weights: layer.getWeights(),
    loss: value.dataSync()[0]!,
    grads: variables.map((v) => grads[v.name]!),
    output,
  };
  tf.dispose([x, probe, value, ...(mask === null ? [] : [mask])]);
  layer.dispose();
  return result;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('recurrent whole-sequence plans equal the per-step reference', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const planned = run(c, false, null);
      const stepped = run(c, true, planned.weights);
      // Float32 sums in another order: a few ulps of values of order 1.
      expect(Math.abs(planned.loss - stepped.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(stepped.loss)));
      expect(maxDiff(planned.output, stepped.output)).toBeLessThan(1e-6);
      planned.grads.forEach((g, i) => expect(maxDiff(g, stepped.grads[i]!)).toBeLessThan(1e-5));
      tf.dispose([
        planned.output,
        stepped.output,
        ...planned.grads,
        ...stepped.grads,
        ...planned.weights,
        ...stepped.weights,
      ]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the LSTM plan runs the whole-sequence kernel (once forward and once backward, no per-step gates)', async () => {
    const layer = new RNN(new LSTMCell(3, { dropout: 0.2, recurrentDropout: 0.2, seed: 1 }));
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 9);
    layer.maybeBuild(x.shape);
    const variables = layer.trainableWeights.map((w) => w.value);
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: true })) as tf.Scalar,
        variables,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    const count = (name: string): number => info.kernels.filter((k) => k.name === name).length;
    expect([count(LSTM_SEQUENCE), count(LSTM_SEQUENCE_GRAD), count(LSTM_GATES), count(LSTM_GATES_GRAD)]).toEqual([
      1, 1, 0, 0,
    ]);
    tf.dispose(x);
    layer.dispose();
  });

  it('trains on a one-step sequence (every cell, through its plan)', () => {
    const before = tf.memory().numTensors;
    for (const make of [lstm({ recurrentDropout: 0.2 }), gru({}), simple({})]) {
      const layer = new RNN(make(false));
      const x = tf.randomNormal([2, 1, 3], 0, 1, 'float32', 12);
      layer.maybeBuild(x.shape);
      const variables = layer.trainableWeights.map((w) => w.value);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        variables,
      );
      expect(Object.keys(grads)).toHaveLength(variables.length);
      tf.dispose([x, value, ...Object.values(grads)]);
      layer.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a cell subclass that overrides step keeps its own step (no plan)', () => {
    const cell = new StepLSTMCell(2);
    cell.maybeBuild([1, 3]);
    const x = tf.zeros([1, 2, 3]);
    expect(cell.prepareSequence(x, false)).toBeNull();
    expect(new LSTMCell(2).prepareSequence === LSTMCell.prototype.prepareSequence).toBe(true);
    tf.dispose(x);
    cell.dispose();
  });
});
