/**
 * Training with the toolkit: the scheduler changes rates across epochs and logs them in the
 * History; fit/predict with every dropout kind leave no tensors behind; the new layers train
 * (their weights move) and survive a save/load round trip through the IR.
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, tf } from '@strata/core';
import { modelFromIR, modelToIR } from '../../../packages/core/src/saving/index.js';
import {
  DropBlock2D,
  DropConnectDense,
  DropoutScheduler,
  StochasticDepth,
  WeightDropLSTM,
  mcPredict,
  scheduledRate,
} from '../../../packages/dropout/src/index.js';

const {
  Dense,
  Dropout,
  Conv2D,
  Flatten,
  SpatialDropout2D,
  GaussianDropout,
  GaussianNoise,
  AlphaDropout,
  LSTM,
  Add,
  ReLU,
} = layers;

function mlp(): Sequential {
  return new Sequential([
    Input([4]),
    new Dense(8, { activation: 'relu' }),
    new Dropout(0.1, { name: 'drop_a' }),
    new Dense(8),
    new StochasticDepth(0, { name: 'sd' }),
    new Dense(1),
  ]);
}

const x = tf.randomNormal([16, 4], 0, 1, 'float32', 1);
const y = tf.randomNormal([16, 1], 0, 1, 'float32', 2);

describe('DropoutScheduler', () => {
  it('computes linear and cosine schedules from `from` to `to`', () => {
    expect([0, 1, 2, 3, 4, 9].map((e) => scheduledRate('linear', 0, 0.4, 5, e))).toEqual([
      0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.4,
    ]);
    expect(scheduledRate('cosine', 0.5, 0.1, 3, 1)).toBeCloseTo(0.3, 12);
    expect(scheduledRate('cosine', 0.5, 0.1, 3, 0)).toBe(0.5);
  });

  it('sets every settable rate at each epoch and logs it in the History', async () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const seen: number[][] = [];
    const probe = new (class extends DropoutScheduler {
      override onEpochBegin(epoch: number): void {
        super.onEpochBegin(epoch);
        seen.push([
          (model.getLayer('drop_a') as InstanceType<typeof Dropout>).rate,
          (model.getLayer('sd') as StochasticDepth).rate,
        ]);
      }
    })({ schedule: 'linear', from: 0, to: 0.3, epochs: 4 });
    const history = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [probe] });
    const expected = [0, 0.1, 0.2, 0.3, 0.3];
    seen.forEach(([a, b], i) => {
      expect(a).toBeCloseTo(expected[i]!, 12);
      expect(b).toBeCloseTo(expected[i]!, 12);
    });
    history.history['dropout_rate']!.forEach((r, i) => expect(r).toBeCloseTo(expected[i]!, 12));
    expect(history.history['loss']).toHaveLength(5);
    expect(probe.layers.map((l) => l.name)).toEqual(['drop_a', 'sd']);
  });

  it('drives only the chosen layers, logs per layer, takes a function (curriculum dropout)', async () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    // Morerio et al.: retain probability θ(t) = (1 − θ̄)·exp(−γt) + θ̄, i.e. rate (1 − θ̄)(1 − exp(−γt)).
    const curriculum = (epoch: number): number => 0.5 * (1 - Math.exp(-1 * epoch));
    const scheduler = new DropoutScheduler({ schedule: curriculum, layers: ['sd'], logKey: null });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [scheduler] });
    history.history['sd_rate']!.forEach((r, i) => expect(r).toBeCloseTo(curriculum(i), 6));
    expect(history.history['drop_a_rate']).toBeUndefined();
    expect((model.getLayer('drop_a') as InstanceType<typeof Dropout>).rate).toBe(0.1);
    const byPredicate = new DropoutScheduler({ to: 0.2, layers: (l) => l instanceof StochasticDepth });
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [byPredicate] });
    expect(byPredicate.layers.map((l) => l.name)).toEqual(['sd']);
  });

  it('rejects bad options and schedules with clear errors', async () => {
    expect(() => new DropoutScheduler({ schedule: 'step' as never, to: 0.1 })).toThrow(
      /invalid schedule "step"; valid choices: 'linear', 'cosine'/,
    );
    expect(() => new DropoutScheduler({ schedule: 'linear' })).toThrow(/needs "to"/);
    expect(() => new DropoutScheduler({ to: 1.2 })).toThrow(/invalid to 1\.2/);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(
      model.fit(x, y, { verbose: 0, callbacks: [new DropoutScheduler({ to: 0.1, layers: ['nope'] })] }),
    ).rejects.toThrow(/has no layer "nope"/);
    await expect(
      model.fit(x, y, { verbose: 0, callbacks: [new DropoutScheduler({ schedule: () => 2 })] }),
    ).rejects.toThrow(/epoch 0\): invalid rate 2/);
  });
});

/** A model with every dropout kind: Keras's and the toolkit's. */
function everything(): Model {
  const image = Input([6, 6, 1], { name: 'image' });
  let h = new Conv2D(2, { kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
  h = new DropBlock2D(0.2, { blockSize: 3, seed: 1 }).apply(h);
  h = new SpatialDropout2D(0.1, { seed: 2 }).apply(h);
  const branch = new StochasticDepth(0.3, { seed: 3 }).apply(
    new Conv2D(2, { kernelSize: 3, padding: 'same' }).apply(h),
  );
  h = new ReLU().apply(new Add().apply([h, branch]));
  h = new Flatten().apply(h);
  h = new GaussianNoise(0.1, { seed: 4 }).apply(
    new DropConnectDense(8, { rate: 0.3, seed: 5, activation: 'tanh' }).apply(h),
  );
  h = new AlphaDropout(0.1, { seed: 6 }).apply(h);
  const imageOut = new GaussianDropout(0.2, { seed: 7 }).apply(new Dense(4, { activation: 'tanh' }).apply(h));
  const sequence = Input([5, 3], { name: 'sequence' });
  let s = new LSTM(4, { dropout: 0.2, recurrentDropout: 0.2, returnSequences: true, seed: 8 }).apply(sequence);
  s = new WeightDropLSTM(4, { weightDropout: 0.3, seed: 9 }).apply(s);
  const merged = new layers.Concatenate().apply([imageOut, new Dropout(0.25, { seed: 10 }).apply(s)]);
  return new Model({ inputs: [image, sequence], outputs: new Dense(1).apply(merged) });
}

describe('every dropout kind in training', () => {
  const xs = [tf.randomNormal([8, 6, 6, 1], 0, 1, 'float32', 3), tf.randomNormal([8, 5, 3], 0, 1, 'float32', 4)];
  const ys = tf.randomNormal([8, 1], 0, 1, 'float32', 5);

  it("fits, predicts and MC-predicts with no tensor left behind, and the new layers' weights train", async () => {
    const model = everything();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 }); // warm-up: optimizer slots, lazily built state
    const dense = model.layers.find((l) => l instanceof DropConnectDense)!;
    const lstm = model.layers.find((l) => l instanceof WeightDropLSTM)!;
    const before = [...dense.getWeights(), ...lstm.getWeights()].map((t) => Array.from(t.dataSync()));
    const baseline = tf.memory().numTensors;
    const scheduler = new DropoutScheduler({ from: 0.1, to: 0.2 });
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [scheduler] });
    expect(history.history['loss']!.every(Number.isFinite)).toBe(true);
    tf.dispose(model.predict(xs, { verbose: 0 }));
    const mc = mcPredict(model, xs, { samples: 3 });
    tf.dispose([mc.mean, mc.std]);
    expect(tf.memory().numTensors).toBe(baseline);
    const after = [...dense.getWeights(), ...lstm.getWeights()].map((t) => Array.from(t.dataSync()));
    after.forEach((w, i) => expect(w).not.toEqual(before[i]));
  });

  it('survives the IR round trip (registered classes, configs, weights): same inference output', () => {
    const model = everything();
    const rebuilt = modelFromIR(modelToIR(model));
    const names = (m: Model) => m.layers.map((l) => l.className);
    expect(names(rebuilt)).toEqual(names(model));
    const a = (model.predict(xs, { verbose: 0 }) as tf.Tensor).dataSync();
    rebuilt.setWeights(model.getWeights());
    const b = (rebuilt.predict(xs, { verbose: 0 }) as tf.Tensor).dataSync();
    Array.from(b).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
  });
});
