/**
 * Monte-Carlo dropout: only the dropout family is switched on; BatchNormalization stays in
 * inference mode and its moving statistics do not change; results equal a hand-written loop
 * that activates only the dropout layers; seeded runs are reproducible; nothing leaks.
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, tf } from '@strata/core';
import { DropBlock2D, StochasticDepth, findDropoutLayers, mcPredict } from '../../../packages/dropout/src/index.js';

const { Dense, BatchNormalization, Dropout, LSTM, TimeDistributed, Conv2D, Flatten, GaussianNoise } = layers;

/** Dense → BN (non-trivial moving statistics) → Dropout(seed) → Dense(softmax); built identically every time. */
function classifier(): Sequential {
  const model = new Sequential([
    Input([5]),
    new Dense(8, {
      activation: 'relu',
      name: 'd1',
      kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } },
    }),
    new BatchNormalization({ name: 'bn' }),
    new Dropout(0.5, { seed: 3, name: 'drop' }),
    new Dense(3, {
      activation: 'softmax',
      name: 'd2',
      kernelInitializer: { className: 'GlorotUniform', config: { seed: 2 } },
    }),
  ]);
  const bn = model.getLayer('bn');
  bn.setWeights([tf.fill([8], 1.5), tf.fill([8], 0.2), tf.linspace(-0.5, 0.5, 8), tf.linspace(0.5, 2, 8)]);
  return model;
}

function snapshot(model: Model, name: string): number[][] {
  return model
    .getLayer(name)
    .getWeights()
    .map((w) => Array.from(w.dataSync()));
}

const x = tf.randomNormal([6, 5], 0, 1, 'float32', 11);

describe('mcPredict', () => {
  it('equals a hand-written loop that activates only the dropout layer (BN in inference mode)', () => {
    const samples = 20;
    const model = classifier();
    const twin = classifier();
    const [d1, bn, drop, d2] = ['d1', 'bn', 'drop', 'd2'].map((n) => twin.getLayer(n));
    const passes: number[][] = [];
    for (let s = 0; s < samples; s++) {
      const out = tf.tidy(() => d2!.apply(drop!.apply(bn!.apply(d1!.apply(x)), { training: true })));
      passes.push(Array.from(out.dataSync()));
      out.dispose();
    }
    const size = passes[0]!.length;
    const mean = Array.from({ length: size }, (_, i) => passes.reduce((a, p) => a + p[i]!, 0) / samples);
    const std = mean.map((m, i) => Math.sqrt(passes.reduce((a, p) => a + (p[i]! - m) ** 2, 0) / samples));

    const result = mcPredict(model, x, { samples });
    expect(result.activeLayers).toEqual(['drop']);
    Array.from(result.mean.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 5));
    Array.from(result.std.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(std[i]!, 5));
    expect(Math.max(...std)).toBeGreaterThan(0.01);
    // Predictive entropy of the mean probabilities.
    const rows = result.mean.arraySync() as number[][];
    const entropy = rows.map((p) => -p.reduce((a, q) => a + q * Math.log(Math.max(q, 1e-7)), 0));
    Array.from(result.entropy!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(entropy[i]!, 4));
    expect(Math.min(...Array.from(result.mutualInformation!.dataSync()))).toBeGreaterThanOrEqual(0);
  });

  it("leaves BatchNormalization's moving statistics unchanged — unlike model(x, training=true)", () => {
    const model = classifier();
    const before = snapshot(model, 'bn');
    const result = mcPredict(model, x, { samples: 5 });
    expect(snapshot(model, 'bn')).toEqual(before);
    // The pitfall: the whole model in training mode normalises with batch statistics and moves the averages.
    const pitfall = model.apply(x, { training: true });
    expect(snapshot(model, 'bn')).not.toEqual(before);
    expect(pitfall.arraySync()).not.toEqual(result.mean.arraySync());
  });

  it('is reproducible with a seed, and leaves the model exactly as it was', () => {
    const model = classifier();
    const a = mcPredict(model, x, { samples: 4, seed: 5, returnSamples: true });
    const b = mcPredict(model, x, { samples: 4, seed: 5 });
    const c = mcPredict(model, x, { samples: 4, seed: 6 });
    expect(b.mean.arraySync()).toEqual(a.mean.arraySync());
    expect(c.mean.arraySync()).not.toEqual(a.mean.arraySync());
    expect(a.samples!.shape).toEqual([4, 6, 3]);
    const drop = model.getLayer('drop');
    expect(Object.prototype.hasOwnProperty.call(drop, 'call')).toBe(false);
    // Inference is deterministic again, and the layer's own seeded stream was not consumed.
    expect((model.predict(x, { verbose: 0 }) as tf.Tensor).arraySync()).toEqual(
      (classifier().predict(x, { verbose: 0 }) as tf.Tensor).arraySync(),
    );
    const twinDrop = classifier().getLayer('drop');
    expect(drop.apply(tf.ones([2, 8]), { training: true }).arraySync()).toEqual(
      twinDrop.apply(tf.ones([2, 8]), { training: true }).arraySync(),
    );
  });

  it('finds dropout in RNNs, wrappers and nested models, and only there', () => {
    const inner = new Sequential(
      [
        Input([4]),
        new Dense(4, { name: 'inner_dense' }),
        new BatchNormalization({ name: 'inner_bn' }),
        new Dropout(0.2, { name: 'inner_drop' }),
      ],
      { name: 'inner' },
    );
    const input = Input([3, 4]);
    const seq = new TimeDistributed(new Dropout(0.3, { name: 'td_drop' }), { name: 'td' }).apply(input);
    const rnn = new LSTM(4, { dropout: 0.2, name: 'lstm' }).apply(seq);
    const plainRnn = new LSTM(4, { name: 'plain_lstm' }).apply(seq);
    const merged = new layers.Add().apply([inner.apply(rnn), plainRnn]);
    const model = new Model({
      inputs: input,
      outputs: new Dense(1, { name: 'out' }).apply(new GaussianNoise(0.1, { name: 'noise' }).apply(merged)),
    });
    expect(
      findDropoutLayers(model)
        .map((l) => l.name)
        .sort(),
    ).toEqual(['inner_drop', 'lstm', 'noise', 'td_drop']);
    const xs = tf.randomNormal([5, 3, 4]);
    const innerBn = snapshot(inner, 'inner_bn');
    const result = mcPredict(model, xs, { samples: 3, seed: 1 });
    expect(Math.max(...Array.from(result.std.dataSync()))).toBeGreaterThan(0);
    expect(result.entropy).toBeUndefined();
    expect(snapshot(inner, 'inner_bn')).toEqual(innerBn);
  });

  it('switches on DropBlock2D and StochasticDepth, and refuses models without dropout', () => {
    const input = Input([6, 6, 1]);
    const conv = new Conv2D(2, { kernelSize: 3, padding: 'same', name: 'c' }).apply(input);
    const dropped = new StochasticDepth(0.5, { name: 'sd' }).apply(
      new DropBlock2D(0.2, { blockSize: 3, name: 'db' }).apply(conv),
    );
    const model = new Model({ inputs: input, outputs: new Dense(1).apply(new Flatten().apply(dropped)) });
    expect(mcPredict(model, tf.ones([2, 6, 6, 1]), { samples: 3 }).activeLayers.sort()).toEqual(['db', 'sd']);
    const plain = new Sequential([Input([2]), new Dense(1)], { name: 'plain' });
    expect(() => mcPredict(plain, tf.ones([1, 2]))).toThrow(/model "plain" has no dropout-family layer/);
    expect(() => mcPredict(model, tf.ones([1, 6, 6, 1]), { samples: 0 })).toThrow(
      /samples must be a positive integer, got 0/,
    );
  });

  it('works on a Sequential model that is built by its first call', () => {
    const model = new Sequential([
      new Dense(4, { activation: 'relu' }),
      new Dropout(0.5, { name: 'late' }),
      new Dense(2),
    ]);
    const result = mcPredict(model, tf.ones([3, 5]), { samples: 4, seed: 2 });
    expect(result.activeLayers).toEqual(['late']);
    expect(result.mean.shape).toEqual([3, 2]);
  });

  it('gives the binary entropy for a sigmoid output on request, and none when turned off', () => {
    const model = new Sequential([Input([3]), new Dropout(0.5), new Dense(1, { activation: 'sigmoid' })]);
    const xs = tf.randomNormal([4, 3], 0, 1, 'float32', 7);
    expect(mcPredict(model, xs, { samples: 3 }).entropy).toBeUndefined(); // one column: not auto-detected
    const result = mcPredict(model, xs, { samples: 5, seed: 1, entropy: true });
    const p = Array.from(result.mean.dataSync());
    const expected = p.map((q) => -(q * Math.log(q) + (1 - q) * Math.log(1 - q)));
    expect(result.entropy!.shape).toEqual([4]);
    Array.from(result.entropy!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    expect(mcPredict(classifier(), x, { samples: 2, entropy: false }).entropy).toBeUndefined();
  });

  it('does not leak tensors', () => {
    const model = classifier();
    mcPredict(model, x, { samples: 2 }); // warm-up (lazily created state)
    const before = tf.memory().numTensors;
    const result = mcPredict(model, x, { samples: 6, returnSamples: true });
    tf.dispose([result.mean, result.std, result.entropy!, result.mutualInformation!, result.samples!]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
