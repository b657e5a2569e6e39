import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { LayerNormalization } from './layer-normalization.js';

interface LayerNormCase {
  axis: number[];
  epsilon: number;
  rms_scaling: boolean;
  input: number[];
  gamma: number[];
  beta: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./normalization.fixture.json', import.meta.url), 'utf8')) as {
  layer_normalization: Record<string, LayerNormCase>;
};

function maxAbsDiff(actual: tf.Tensor, expected: number[]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tf.tensor(expected, actual.shape)))).dataSync()[0]!);
}

describe('LayerNormalization', () => {
  it.each(Object.entries(fixture.layer_normalization))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new LayerNormalization({ axis: c.axis, epsilon: c.epsilon, rmsScaling: c.rms_scaling });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const weights = c.rms_scaling ? [tf.tensor(c.gamma)] : [tf.tensor(c.gamma), tf.tensor(c.beta)];
    layer.setWeights(weights);
    const before = tf.memory().numTensors;
    const y = layer.apply(x, { training: true });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(maxAbsDiff(y, c.output)).toBeLessThan(1e-5);
    const inference = layer.apply(x);
    expect(maxAbsDiff(inference, c.output)).toBeLessThan(1e-5);
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...x.shape.slice(1)]);
    tf.dispose([x, y, inference, ...weights]);
    layer.dispose();
  });

  it('normalizes the last axis by default: zero mean, unit variance per example', () => {
    const layer = new LayerNormalization({ epsilon: 1e-6 });
    const y = layer.apply(
      tf.tensor([
        [1, 2, 3, 4],
        [10, 10, 30, 30],
      ]),
    );
    const rows = y.arraySync() as number[][];
    for (const row of rows) {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-4);
    }
    expect(layer.supportsMasking).toBe(true);
    y.dispose();
  });

  it('has Keras 3 defaults and get_config keys (axis becomes a sorted list after build), and round-trips', () => {
    const layer = new LayerNormalization();
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'epsilon',
      'center',
      'scale',
      'rms_scaling',
      'beta_initializer',
      'gamma_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
    ]);
    expect(config).toMatchObject({ axis: -1, epsilon: 1e-3, center: true, scale: true, rms_scaling: false });
    layer.apply(Input([4, 6]));
    // As Keras 3.15.1: the axis stays as given, in a list (checked with real Keras).
    expect(layer.getConfig()['axis']).toEqual([-1]);
    const multi = new LayerNormalization([-1, 1], { center: false, betaRegularizer: 'l1', gammaInitializer: 'zeros' });
    multi.apply(Input([3, 5]));
    // Keras: axis sorted as given ([-1, 1]), gamma sized in that order: (5, 3).
    expect(multi.getConfig()['axis']).toEqual([-1, 1]);
    expect(multi.weights.map((w) => [w.name, w.shape])).toEqual([['gamma', [5, 3]]]);
    expect(layerFromConfig('LayerNormalization', multi.getConfig()).getConfig()).toEqual(multi.getConfig());
    expect(LayerNormalization.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });

  it('counts parameters as Keras (2 × features)', () => {
    const layer = new LayerNormalization();
    layer.apply(Input([10, 64]));
    expect(layer.countParams()).toBe(128);
    expect(layer.weights.map((w) => w.name)).toEqual(['gamma', 'beta']);
  });

  it('rejects bad arguments and inputs clearly', () => {
    expect(() => new LayerNormalization({ axis: 'x' as unknown as number })).toThrow(
      /`axis` must be an integer or a non-empty list of integers/,
    );
    expect(() => new LayerNormalization({ epsilon: 0 })).toThrow(/`epsilon` must be positive/);
    expect(() => new LayerNormalization([1, -1]).apply(Input([3]))).toThrow(/duplicate axes/);
    expect(() => new LayerNormalization(4).apply(Input([3]))).toThrow(/axis 4 is out of range/);
  });
});
