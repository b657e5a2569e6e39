/**
 * LSTM, GRU (both `resetAfter` conventions) and SimpleRNN layers through their whole-sequence kernels against
 * the per-step reference (a cell subclass that overrides `step`, so it keeps the per-step loop),
 * with the same weights and seeds,
 * on the wasm and the cpu backend: every output (sequences, last output, states) and the gradients
 * of the input, the kernel, the recurrent kernel, the bias and the initial states; with masking,
 * input and recurrent dropout, `goBackwards`, `returnSequences`, `returnState`,
 * `zeroOutputForMask`, initial states and stateful carrying.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, registerLSTMSequence } from '../../backend/fused/lstm-sequence.js';
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD, registerGRUSequence } from '../../backend/fused/gru-sequence.js';
import { registerFusedLSTMGates } from '../../backend/fused/lstm-gates.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RNN, type RNNArgs } from './rnn.js';
import type { RNNCell } from './rnn-cell.js';
import { StepGRUCell, StepLSTMCell, StepSimpleRNNCell } from './step-cells.test-suite.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import {
  SIMPLE_RNN_SEQUENCE,
  SIMPLE_RNN_SEQUENCE_GRAD,
  registerSimpleRNNSequence,
} from '../../backend/fused/simple-rnn-sequence.js';
import type { CellArgs } from './cell-options.js';

/** A cell kind with a whole-sequence kernel: the fused cell, its per-step reference, its kernels. */
interface Kind {
  name: string;
  states: number;
  make(units: number, args: CellArgs | undefined, reference: boolean): RNNCell;
  kernels: [string, string];
}

const KINDS: Kind[] = [
  {
    name: 'LSTM',
    states: 2,
    make: (units, args, reference) => (reference ? new StepLSTMCell(units, args) : new LSTMCell(units, args)),
    kernels: [LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD],
  },
  ...[true, false].map((resetAfter): Kind => ({
    name: `GRU (resetAfter ${resetAfter})`,
    states: 1,
    make: (units, args, reference) =>
      reference ? new StepGRUCell(units, { ...args, resetAfter }) : new GRUCell(units, { ...args, resetAfter }),
    kernels: [GRU_SEQUENCE, GRU_SEQUENCE_GRAD],
  })),
  {
    name: 'SimpleRNN',
    states: 1,
    make: (units, args, reference) => (reference ? new StepSimpleRNNCell(units, args) : new SimpleRNNCell(units, args)),
    kernels: [SIMPLE_RNN_SEQUENCE, SIMPLE_RNN_SEQUENCE_GRAD],
  },
];

interface Case {
  name: string;
  cell?: CellArgs;
  rnn?: RNNArgs;
  masked?: boolean;
  initialStates?: boolean;
}

const dropout = { dropout: 0.3, recurrentDropout: 0.4, seed: 11 };
const CASES: Case[] = [
  { name: 'last output only', rnn: { returnSequences: false } },
  { name: 'sequences and states', rnn: { returnSequences: true, returnState: true } },
  { name: 'input + recurrent dropout, last output and states', cell: dropout, rnn: { returnState: true } },
  { name: 'input dropout only, backwards', cell: { dropout: 0.3, seed: 5 }, rnn: { goBackwards: true } },
  { name: 'masked, last output', rnn: { returnState: true }, masked: true },
  { name: 'masked, zero output for masked steps, last output', rnn: { zeroOutputForMask: true }, masked: true },
  {
    name: 'masked, zero output for masked steps, dropout, sequences',
    cell: dropout,
    rnn: { returnSequences: true, zeroOutputForMask: true },
    masked: true,
  },
  {
    name: 'masked, backwards, dropout, sequences and states',
    cell: dropout,
    rnn: { returnSequences: true, returnState: true, goBackwards: true },
    masked: true,
  },
  { name: 'initial states', rnn: { returnSequences: true, returnState: true }, initialStates: true },
  { name: 'initial states, masked, no bias', cell: { useBias: false }, masked: true, initialStates: true },
];

/** One training-mode call: every output, and the gradients of a weighted sum of them. */
function run(kind: Kind, c: Case, reference: boolean, weights: tf.Tensor[] | null) {
  const layer = new RNN(kind.make(5, c.cell, reference), c.rnn);
  const x = tf.tidy(() => tf.variable(tf.randomNormal([3, 6, 4], 0, 1, 'float32', 7)));
  const states = c.initialStates
    ? [20, 21]
        .slice(0, kind.states)
        .map((seed) => tf.tidy(() => tf.variable(tf.randomNormal([3, 5], 0, 0.5, 'float32', seed))))
    : [];
  layer.maybeBuild(x.shape);
  if (weights !== null) layer.setWeights(weights);
  // Sample 1 ends in padding, sample 2 starts with it, sample 0 has a gap.
  const mask = c.masked
    ? tf.tensor2d(
        [
          [1, 1, 0, 1, 1, 1],
          [1, 1, 1, 1, 0, 0],
          [0, 1, 1, 1, 1, 1],
        ],
        [3, 6],
        'bool',
      )
    : null;
  const variables = [...layer.trainableWeights.map((w) => w.value), x, ...states];
  let outputs: tf.Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const initialState = states.length > 0 ? { initialState: states } : {};
    const out = layer.applyMulti(x, { training: true, mask, ...initialState });
    outputs = out.map((o) => tf.keep(o.clone()));
    const probes = outputs.map((o, i) => tf.randomNormal(o.shape, 0, 1, 'float32', 30 + i));
    return tf.addN(outputs.map((o, i) => tf.sum(tf.mul(o, probes[i]!)))) as tf.Scalar;
  }, variables);
  const result = {
    weights: layer.getWeights(),
    loss: value.dataSync()[0]!,
    grads: variables.map((v) => grads[v.name]!),
    outputs,
  };
  tf.dispose([x, value, ...states, ...(mask === null ? [] : [mask])]);
  layer.dispose();
  return result;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

for (const backend of ['wasm', 'cpu'] as const) {
  for (const kind of KINDS) {
    describe(`${kind.name} through the whole-sequence kernel on ${backend} equals the per-step reference`, () => {
      const previous = tf.getBackend();
      afterAll(async () => {
        await tf.setBackend(previous);
      });

      for (const c of CASES) {
        it(c.name, async () => {
          registerFusedLSTMGates(backend);
          registerLSTMSequence(backend);
          registerGRUSequence(backend);
          registerSimpleRNNSequence(backend);
          await tf.setBackend(backend);
          const before = tf.memory().numTensors;
          const planned = run(kind, c, false, null);
          const stepped = run(kind, c, true, planned.weights);
          expect(planned.outputs.length).toBe(stepped.outputs.length);
          expect(Math.abs(planned.loss - stepped.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(stepped.loss)));
          planned.outputs.forEach((o, i) => expect(maxDiff(o, stepped.outputs[i]!)).toBeLessThan(1e-6));
          expect(planned.grads.length).toBe(stepped.grads.length);
          planned.grads.forEach((g, i) => expect(maxDiff(g, stepped.grads[i]!)).toBeLessThan(1e-5));
          tf.dispose([planned, stepped].flatMap((r) => [...r.outputs, ...r.grads, ...r.weights]));
          expect(tf.memory().numTensors).toBe(before);
        });
      }

      it('a stateful layer carries the same states across calls', async () => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        let weights: tf.Tensor[] | null = null;
        const outputs = [false, true].map((reference) => {
          const layer = new RNN(kind.make(5, undefined, reference), { stateful: true });
          const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 40);
          layer.maybeBuild(x.shape);
          if (reference) layer.setWeights(weights!);
          else weights = layer.getWeights();
          const first = layer.apply(x) as tf.Tensor;
          const second = layer.apply(x) as tf.Tensor;
          tf.dispose([x, first]);
          layer.dispose();
          return second;
        });
        expect(maxDiff(outputs[0]!, outputs[1]!)).toBeLessThan(1e-6);
        tf.dispose([...outputs, ...(weights ?? [])]);
        expect(tf.memory().numTensors).toBe(before);
      });

      it('runs one sequence kernel forward and one backward per call', async () => {
        await tf.setBackend(backend);
        const layer = new RNN(kind.make(3, { dropout: 0.2, recurrentDropout: 0.2, seed: 1 }, false));
        const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 9);
        layer.maybeBuild(x.shape);
        const variables = layer.trainableWeights.map((w) => w.value);
        const info = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(
            () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
            variables,
          );
          tf.dispose([value, ...Object.values(grads)]);
        });
        const count = (name: string): number => info.kernels.filter((k) => k.name === name).length;
        expect([count(kind.kernels[0]), count(kind.kernels[1])]).toEqual([1, 1]);
        tf.dispose(x);
        layer.dispose();
      });
    });
  }
}
