import { describe, expect, it } from 'vitest';
import { Input, Model, layerFromConfig, layers, tf } from '@strata/core';
import { DropPath, StochasticDepth } from './stochastic-depth.js';

describe('StochasticDepth / DropPath', () => {
  it("drops or keeps each sample's whole branch, kept ones scaled by 1/(1-rate)", () => {
    const rate = 0.25;
    const x = tf.add(tf.randomNormal([400, 3, 2], 0, 1, 'float32', 1), 5);
    const out = new StochasticDepth(rate, { seed: 7 }).apply(x, { training: true }).arraySync() as number[][][];
    const input = x.arraySync() as number[][][];
    let dropped = 0;
    out.forEach((sample, b) => {
      const flat = sample.flat();
      if (flat.every((v) => v === 0)) {
        dropped += 1;
      } else {
        flat.forEach((v, i) => expect(v).toBeCloseTo(input[b]!.flat()[i]! / (1 - rate), 4));
      }
    });
    // Binomial(400, 0.25): 4 standard deviations.
    expect(Math.abs(dropped / 400 - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / 400));
  });

  it('keeps the expectation: the per-element mean over draws ≈ input within 4 standard errors', () => {
    const rate = 0.3;
    const layer = new StochasticDepth(rate, { seed: 3 });
    const x = tf.ones([1, 4]);
    const draws = 2000;
    let sum = 0;
    for (let i = 0; i < draws; i++) sum += tf.tidy(() => layer.apply(x, { training: true }).dataSync()[0]!);
    // Each draw is 0 or 1/(1-rate): variance rate/(1-rate).
    const se = Math.sqrt(rate / (1 - rate) / draws);
    expect(Math.abs(sum / draws - 1)).toBeLessThan(4 * se);
  });

  it('is the identity at inference; zeros at rate 1; settable validated rate', () => {
    const x = tf.randomNormal([3, 5]);
    const layer = new StochasticDepth(0.5, { name: 'sd' });
    expect(layer.apply(x).arraySync()).toEqual(x.arraySync());
    layer.rate = 1;
    expect(tf.sum(tf.abs(layer.apply(x, { training: true }))).dataSync()[0]).toBe(0);
    expect(() => (layer.rate = -0.1)).toThrow(/"sd" \(StochasticDepth\): invalid rate -0\.1/);
  });

  it('drops the residual branch before the Add: a dropped sample gets the shortcut only', () => {
    const input = Input([4]);
    const branch = new layers.Dense(4, { kernelInitializer: 'ones', name: 'branch' }).apply(input);
    const dropped = new StochasticDepth(0.5, { seed: 11 }).apply(branch);
    const model = new Model({ inputs: input, outputs: new layers.Add().apply([input, dropped]) });
    const x = tf.ones([64, 4]);
    const rows = model.apply(x, { training: true }).arraySync() as number[][];
    const values = new Set(rows.map((r) => r[0]));
    expect(values).toEqual(new Set([1, 1 + 4 / 0.5]));
    expect((model.apply(x).arraySync() as number[][])[0]).toEqual([5, 5, 5, 5]);
  });

  it('round-trips configs through the registry (both names) without leaks', () => {
    for (const layer of [new StochasticDepth(0.2, { seed: 1 }), new DropPath(0.1)]) {
      const copy = layerFromConfig(layer.className, layer.getConfig());
      expect(copy.constructor).toBe(layer.constructor);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      const x = tf.ones([4, 3]);
      const before = tf.memory().numTensors;
      tf.dispose(layer.apply(x, { training: true }));
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
