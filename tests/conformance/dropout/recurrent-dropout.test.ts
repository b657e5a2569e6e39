/**
 * Keras 3 semantics of RNN `dropout` / `recurrentDropout` (shared/reference/dropout-semantics.md §2.3),
 * the cases Keras's own tests leave out: masks constant over time within a call, resampled across
 * calls, never applied at inference, independent per gate, GRU state unmasked, generic RNN(cell)
 * identical to the dedicated layer, seeded sequences reproducible.
 */
import { describe, expect, it, vi } from 'vitest';
import { layers, tf } from '@strata/core';

const { SimpleRNN, LSTM, GRU, RNN, LSTMCell, GRUCell, SimpleRNNCell, StackedRNNCells } = layers;

function eye(n: number): tf.Tensor2D {
  return tf.eye(n);
}

/** A SimpleRNN whose output at each step is exactly the input mask (identity kernel, no recurrence). */
function inputMaskProbe(rate: number, seed: number) {
  const layer = new SimpleRNN(6, { activation: 'linear', dropout: rate, seed, returnSequences: true });
  layer.maybeBuild([null, 5, 6]);
  layer.setWeights([eye(6), tf.zeros([6, 6]), tf.zeros([6])]);
  return layer;
}

function rows(t: tf.Tensor): number[][][] {
  return t.arraySync() as number[][][];
}

describe('input dropout masks of recurrent layers', () => {
  const x = tf.ones([3, 5, 6]);

  it('are sampled once per call and reused at every time step', () => {
    const out = rows(inputMaskProbe(0.5, 11).apply(x, { training: true }));
    for (const sample of out) {
      for (const step of sample) expect(step).toEqual(sample[0]);
    }
    expect(new Set(out.flatMap((sample) => sample[0]!))).toEqual(new Set([0, 2]));
  });

  it('are resampled on the next call and never applied at inference', () => {
    const layer = inputMaskProbe(0.5, 11);
    const first = rows(layer.apply(x, { training: true }));
    const second = rows(layer.apply(x, { training: true }));
    expect(second).not.toEqual(first);
    const inference = rows(layer.apply(x, { training: false }));
    expect(inference.flat(2).every((v) => v === 1)).toBe(true);
    // A training call after an inference call still drops (TF.js's generic RNN gets stuck here).
    const third = rows(layer.apply(x, { training: true }));
    expect(third.flat(2).some((v) => v === 0)).toBe(true);
  });

  it('follow the same sequence after re-creation with the same seed', () => {
    const a = inputMaskProbe(0.5, 99);
    const b = inputMaskProbe(0.5, 99);
    for (let call = 0; call < 3; call++) {
      expect(rows(b.apply(x, { training: true }))).toEqual(rows(a.apply(x, { training: true })));
    }
  });
});

describe('recurrent dropout masks', () => {
  it('are constant over time within a call: h_t = m^t · h_0 with one mask m', () => {
    const layer = new SimpleRNN(8, { activation: 'linear', recurrentDropout: 0.5, seed: 5, returnSequences: true });
    layer.maybeBuild([null, 4, 2]);
    layer.setWeights([tf.zeros([2, 8]), eye(8), tf.zeros([8])]);
    const out = rows(layer.apply(tf.ones([2, 4, 2]), { training: true, initialState: [tf.ones([2, 8])] }));
    for (const sample of out) {
      const kept = sample[0]!.map((v) => v !== 0);
      sample.forEach((step, t) => {
        step.forEach((v, unit) => expect(v).toBeCloseTo(kept[unit] ? 2 ** (t + 1) : 0, 5));
      });
      expect(kept.some(Boolean) && kept.some((k) => !k)).toBe(true);
    }
  });

  it('LSTM and GRU draw independent masks per gate (4 and 3) when recurrentDropout > 0, one shared mask otherwise', () => {
    for (const [make, gates] of [
      [() => new LSTM(5, { dropout: 0.5, recurrentDropout: 0.5, seed: 1 }), 4],
      [() => new GRU(5, { dropout: 0.5, recurrentDropout: 0.5, seed: 1 }), 3],
    ] as const) {
      const layer = make();
      const inputSpy = vi.spyOn(layer.cell.dropoutMasks, 'input');
      const recurrentSpy = vi.spyOn(layer.cell.dropoutMasks, 'recurrent');
      const y = layer.apply(tf.ones([16, 3, 7]), { training: true });
      const inputMasks = inputSpy.mock.results[0]!.value as tf.Tensor[];
      expect(inputSpy.mock.calls.every((c) => c[1] === gates)).toBe(true);
      expect(recurrentSpy.mock.calls.every((c) => c[1] === gates)).toBe(true);
      // Every call within one layer call returned the same cached masks.
      expect(new Set(inputSpy.mock.results.map((r) => r.value))).toHaveProperty('size', 1);
      expect(inputMasks).toHaveLength(gates);
      y.dispose();
    }
    const shared = new LSTM(5, { dropout: 0.5, seed: 1 });
    const spy = vi.spyOn(shared.cell.dropoutMasks, 'input');
    shared.apply(tf.ones([4, 3, 7]), { training: true }).dispose();
    expect(spy.mock.calls[0]![1]).toBe(1);
  });

  it('per-gate masks are different from each other (independent draws)', () => {
    const layer = new LSTM(5, { recurrentDropout: 0.5, seed: 3 });
    const masks = layer.cell.dropoutMasks;
    const original = masks.recurrent.bind(masks);
    let captured: number[][][] = [];
    vi.spyOn(masks, 'recurrent').mockImplementation((state, count) => {
      const result = original(state, count);
      if (captured.length === 0) captured = result.map((m) => m.arraySync() as number[][]);
      return result;
    });
    layer.apply(tf.ones([32, 2, 3]), { training: true }).dispose();
    expect(captured).toHaveLength(4);
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) expect(captured[a]).not.toEqual(captured[b]);
  });

  it('GRU carries the unmasked previous state: with z = 1 the state stays h0 under recurrent dropout', () => {
    const layer = new GRU(4, { recurrentDropout: 0.5, seed: 2, returnSequences: true });
    layer.maybeBuild([null, 3, 2]);
    // Input bias of the update gate z = +30 makes z = 1, so h_t = h_{t-1} exactly.
    const bias = tf.tensor2d([[30, 30, 30, 30, 0, 0, 0, 0, 0, 0, 0, 0], new Array(12).fill(0)]);
    layer.setWeights([tf.zeros([2, 12]), tf.ones([4, 12]), bias]);
    const out = rows(layer.apply(tf.ones([2, 3, 2]), { training: true, initialState: [tf.ones([2, 4])] }));
    for (const v of out.flat(2)) expect(v).toBeCloseTo(1, 6);
  });
});

describe('generic RNN(cell) behaves exactly like the dedicated layers', () => {
  const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 17);

  it.each([
    [
      'LSTM',
      () => new LSTM(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 }),
      () => new RNN(new LSTMCell(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 })),
    ],
    [
      'GRU',
      () => new GRU(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 }),
      () => new RNN(new GRUCell(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 })),
    ],
    [
      'SimpleRNN',
      () => new SimpleRNN(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 }),
      () => new RNN(new SimpleRNNCell(5, { dropout: 0.3, recurrentDropout: 0.3, seed: 7 })),
    ],
  ])(
    '%s: same outputs call after call in training, and the no-dropout output at inference',
    (_name, dedicated, generic) => {
      const a = dedicated();
      const b = generic();
      a.maybeBuild(x.shape);
      b.maybeBuild(x.shape);
      b.setWeights(a.getWeights());
      for (let call = 0; call < 3; call++) {
        expect(b.apply(x, { training: true }).arraySync()).toEqual(a.apply(x, { training: true }).arraySync());
      }
      // Inference after training equals a layer without dropout (TF.js reuses the training mask here).
      // (The reference runs the fused implementation 2, the dropout layers implementation 1: same
      // function, float32 sums in another order.)
      const reference = new RNN(new LSTMCell(5));
      if (a instanceof LSTM) {
        reference.maybeBuild(x.shape);
        reference.setWeights(a.getWeights());
        expect(tf.max(tf.abs(tf.sub(b.apply(x), reference.apply(x)))).dataSync()[0]).toBeLessThan(1e-6);
      }
      expect(b.apply(x).arraySync()).toEqual(a.apply(x).arraySync());
    },
  );

  it('StackedRNNCells samples masks for every inner cell, once per call', () => {
    const cells = [new LSTMCell(4, { dropout: 0.5, seed: 1 }), new LSTMCell(3, { dropout: 0.5, seed: 2 })];
    const layer = new RNN(new StackedRNNCells(cells));
    const spies = cells.map((c) => vi.spyOn(c.dropoutMasks, 'input'));
    layer.apply(x, { training: true }).dispose();
    for (const spy of spies) {
      expect(spy).toHaveBeenCalledTimes(6);
      expect(new Set(spy.mock.results.map((r) => r.value)).size).toBe(1);
    }
  });
});

describe('no tensor leaks', () => {
  it('leaves tf.memory().numTensors at its baseline across training steps with every recurrent dropout kind', () => {
    const made = [
      new SimpleRNN(4, { dropout: 0.2, recurrentDropout: 0.2 }),
      new LSTM(4, { dropout: 0.2, recurrentDropout: 0.2, returnSequences: true }),
      new GRU(4, { dropout: 0.2, recurrentDropout: 0.2, returnState: true }),
      new GRU(4, { dropout: 0.2, resetAfter: false }),
    ];
    const x = tf.randomNormal([2, 3, 5]);
    for (const layer of made) layer.maybeBuild(x.shape);
    const before = tf.memory().numTensors;
    for (const layer of made) {
      const vars = layer.trainableWeights.map((w) => w.value);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.applyMulti(x, { training: true })[0]!) as tf.Scalar,
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
      tf.dispose(layer.applyMulti(x, { training: false }));
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
