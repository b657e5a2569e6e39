import { describe, expect, it } from 'vitest';
import { layerFromConfig, tf } from '@strata/core';
import { DropConnectDense } from './drop-connect-dense.js';

function probe(rate: number, seed: number): DropConnectDense {
  const layer = new DropConnectDense(5, { rate, seed, useBias: false, kernelInitializer: 'ones' });
  layer.maybeBuild([null, 6]);
  layer.setWeights([tf.reshape(tf.range(1, 31), [6, 5])]);
  return layer;
}

describe('DropConnectDense', () => {
  it('masks the kernel (not the activations): with an identity input the output is kernel ⊙ mask / (1-rate)', () => {
    const rate = 0.4;
    const layer = probe(rate, 5);
    const kernel = layer.kernel!.value.arraySync() as number[][];
    const out = layer.apply(tf.eye(6), { training: true }).arraySync() as number[][];
    let zeros = 0;
    out.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === 0) zeros += 1;
        else expect(v).toBeCloseTo(kernel[i]![j]! / (1 - rate), 4);
      }),
    );
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(30);
  });

  it('uses one mask per call for the whole batch, a new one on the next call', () => {
    const layer = probe(0.5, 8);
    const x = tf.concat([tf.eye(6), tf.eye(6)], 0);
    const first = layer.apply(x, { training: true }).arraySync() as number[][];
    expect(first.slice(0, 6)).toEqual(first.slice(6));
    const second = layer.apply(x, { training: true }).arraySync() as number[][];
    expect(second).not.toEqual(first);
  });

  it('drops a fraction ≈ rate of the kernel entries (4 standard errors) and keeps the expected output', () => {
    const rate = 0.3;
    const layer = new DropConnectDense(50, { rate, seed: 2, useBias: false, kernelInitializer: 'ones' });
    const out = layer.apply(tf.eye(40), { training: true });
    const values = Array.from(out.dataSync());
    const fraction = values.filter((v) => v === 0).length / values.length;
    const se = Math.sqrt((rate * (1 - rate)) / values.length);
    expect(Math.abs(fraction - rate)).toBeLessThan(4 * se);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(rate / (1 - rate) / values.length));
  });

  it('gives gradient only to kept kernel entries', () => {
    const layer = probe(0.5, 3);
    const x = tf.eye(6);
    const kernel = layer.kernel!.value;
    const { grads, value } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true })) as tf.Scalar, [kernel]);
    const g = grads[kernel.name]!.arraySync() as number[][];
    value.dispose();
    const flat = g.flat();
    expect(new Set(flat.map((v) => Math.round(v * 1e4) / 1e4))).toEqual(new Set([0, 2]));
  });

  it('is Dense at inference, round-trips its config, validates the rate, does not leak', () => {
    const layer = probe(0.5, 1);
    const x = tf.randomNormal([3, 6]);
    const expected = tf.matMul(x, layer.kernel!.value);
    expect(layer.apply(x).arraySync()).toEqual(expected.arraySync());
    const copy = layerFromConfig('DropConnectDense', layer.getConfig());
    expect(copy).toBeInstanceOf(DropConnectDense);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.kerasConfig()).toMatchObject({ units: 5, rate: 0.5, seed: 1, use_bias: false });
    expect(() => new DropConnectDense(3, { rate: 2, name: 'dc' })).toThrow(/"dc" \(DropConnectDense\): invalid rate 2/);
    const before = tf.memory().numTensors;
    tf.dispose(layer.apply(x, { training: true }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
