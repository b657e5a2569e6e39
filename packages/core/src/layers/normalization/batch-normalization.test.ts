import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { BatchNormalization } from './batch-normalization.js';

interface Step {
  input: number[];
  output: number[];
  moving_mean: number[];
  moving_variance: number[];
}
interface BatchNormCase {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: number[];
  beta: number[];
  initial_moving_mean: number[];
  initial_moving_variance: number[];
  training: Step[];
  inference: { input: number[]; output: number[] };
}
interface RenormCase {
  momentum: number;
  renorm_momentum: number;
  epsilon: number;
  clipping: Record<string, number>;
  initial: number[][];
  training: { input: number[]; output: number[]; weights: number[][] }[];
  inference: { input: number[]; output: number[] };
}
const fixture = JSON.parse(readFileSync(new URL('./normalization.fixture.json', import.meta.url), 'utf8')) as {
  batch_renormalization: Record<string, RenormCase>;
  batch_normalization: Record<string, BatchNormCase> & {
    masked_sequence: {
      input: number[];
      mask: boolean[][];
      output: number[];
      moving_mean: number[];
      moving_variance: number[];
    };
  };
};

function maxAbsDiff(actual: tf.Tensor, expected: number[]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tf.tensor(expected, actual.shape)))).dataSync()[0]!);
}

const { masked_sequence: maskedCase, ...stepCases } = fixture.batch_normalization;

describe('BatchNormalization', () => {
  it.each(Object.entries(stepCases))(
    'trains on batch statistics, updates moving stats and infers with them (PyTorch reference): %s',
    (_, c) => {
      const layer = new BatchNormalization({ axis: c.axis, momentum: c.momentum, epsilon: c.epsilon });
      const first = tf.tensor(c.training[0]!.input);
      layer.maybeBuild(first.shape);
      const initial = [c.gamma, c.beta, c.initial_moving_mean, c.initial_moving_variance].map((v) => tf.tensor(v));
      layer.setWeights(initial);
      for (const step of c.training) {
        const x = tf.tensor(step.input);
        const before = tf.memory().numTensors;
        const y = layer.apply(x, { training: true });
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(maxAbsDiff(y, step.output)).toBeLessThan(1e-5);
        const weights = layer.getWeights();
        expect(maxAbsDiff(weights[2]!, step.moving_mean)).toBeLessThan(1e-5);
        expect(maxAbsDiff(weights[3]!, step.moving_variance)).toBeLessThan(1e-5);
        tf.dispose([x, y, ...weights]);
      }
      const x = tf.tensor(c.inference.input);
      const y = layer.apply(x); // training defaults to false
      expect(maxAbsDiff(y, c.inference.output)).toBeLessThan(1e-5);
      tf.dispose([first, x, y, ...initial]);
      layer.dispose();
    },
  );

  it('leaves masked positions out of the batch statistics (Keras semantics)', () => {
    const layer = new BatchNormalization();
    const x = tf.tensor(maskedCase.input);
    const mask = tf.tensor(maskedCase.mask, undefined, 'bool');
    const y = layer.apply(x, { training: true, mask });
    expect(maxAbsDiff(y, maskedCase.output)).toBeLessThan(1e-5);
    const weights = layer.getWeights();
    expect(maxAbsDiff(weights[2]!, maskedCase.moving_mean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(weights[3]!, maskedCase.moving_variance)).toBeLessThan(1e-5);
    expect(layer.computeMask(x, mask)).toBe(mask);
    expect(() => layer.apply(x, { training: true, mask: tf.ones([2], 'bool') })).toThrow(
      /mask must have one dimension less than the input/,
    );
    tf.dispose([x, mask, y, ...weights]);
  });

  it('runs in inference mode when frozen (trainable = false), even with training: true', () => {
    const layer = new BatchNormalization();
    const x = tf.tensor([
      [1, 2],
      [3, 6],
    ]);
    layer.maybeBuild(x.shape);
    layer.trainable = false;
    const y = layer.apply(x, { training: true });
    // Moving stats are still 0 / 1: y = x / sqrt(1 + 1e-3).
    expect(
      maxAbsDiff(
        y,
        [1, 2, 3, 6].map((v) => v / Math.sqrt(1.001)),
      ),
    ).toBeLessThan(1e-6);
    const weights = layer.getWeights();
    expect(Array.from(weights[2]!.dataSync())).toEqual([0, 0]);
    expect(layer.trainableWeights).toHaveLength(0);
    tf.dispose([x, y, ...weights]);
  });

  it('has gamma, beta trainable and moving_mean, moving_variance non-trainable; counts 256 params for 64 features', () => {
    const layer = new BatchNormalization();
    expect(layer.apply(Input([8, 8, 64])).shape).toEqual([null, 8, 8, 64]);
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['gamma', [64], true],
      ['beta', [64], true],
      ['moving_mean', [64], false],
      ['moving_variance', [64], false],
    ]);
    expect(layer.countParams()).toBe(256);
    expect(layer.nonTrainableWeights.reduce((n, w) => n + w.shape[0]!, 0)).toBe(128);
    const plain = new BatchNormalization({ center: false, scale: false });
    plain.apply(Input([5]));
    expect(plain.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
  });

  it('has Keras 3 defaults and get_config keys, and round-trips', () => {
    const layer = new BatchNormalization();
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'beta_initializer',
      'gamma_initializer',
      'moving_mean_initializer',
      'moving_variance_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
      'synchronized',
      'renorm',
      'renorm_clipping',
      'renorm_momentum',
    ]);
    expect(config).toMatchObject({
      axis: -1,
      momentum: 0.99,
      epsilon: 1e-3,
      center: true,
      scale: true,
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: 0.99,
    });
    expect((config['gamma_initializer'] as { class_name: string }).class_name).toBe('Ones');
    expect((config['moving_variance_initializer'] as { class_name: string }).class_name).toBe('Ones');
    expect((config['moving_mean_initializer'] as { class_name: string }).class_name).toBe('Zeros');
    expect(new BatchNormalization(1).axis).toBe(1);
    const custom = new BatchNormalization(1, {
      momentum: 0.9,
      epsilon: 1e-5,
      center: false,
      gammaRegularizer: 'l2',
      gammaConstraint: 'non_neg',
      movingVarianceInitializer: 'zeros',
    });
    expect(layerFromConfig('BatchNormalization', custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it.each(Object.entries(fixture.batch_renormalization))(
    'does batch renormalization as Keras 3 (hand reference): %s',
    (_, c) => {
      const layer = new BatchNormalization({
        momentum: c.momentum,
        epsilon: c.epsilon,
        renorm: true,
        renormMomentum: c.renorm_momentum,
        renormClipping: c.clipping,
      });
      const first = tf.tensor(c.training[0]!.input);
      layer.maybeBuild(first.shape);
      expect(layer.weights.map((w) => [w.name, w.trainable])).toEqual([
        ['gamma', true],
        ['beta', true],
        ['moving_mean', false],
        ['moving_variance', false],
        ['moving_stddev', false],
        ['renorm_mean', false],
        ['renorm_stddev', false],
      ]);
      const initial = c.initial.map((v) => tf.tensor(v));
      layer.setWeights(initial);
      for (const step of c.training) {
        const x = tf.tensor(step.input);
        const y = layer.apply(x, { training: true });
        expect(maxAbsDiff(y, step.output)).toBeLessThan(1e-5);
        const weights = layer.getWeights();
        weights.forEach((w, i) => expect([i, maxAbsDiff(w, step.weights[i]!) < 1e-5]).toEqual([i, true]));
        tf.dispose([x, y, ...weights]);
      }
      const x = tf.tensor(c.inference.input);
      const y = layer.apply(x);
      expect(maxAbsDiff(y, c.inference.output)).toBeLessThan(1e-5);
      // r and d carry no gradient: sum(y) = sum(x̂ * r * gamma) + const has zero input gradient
      // (sum(x̂) is always 0); with a gradient through d it would be gamma / renorm_stddev.
      const inputGrad = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input, { training: true })))(first);
      expect(tf.tidy(() => tf.max(tf.abs(inputGrad)).dataSync()[0]!)).toBeLessThan(1e-4);
      const config = layer.kerasConfig();
      expect(config).toMatchObject({ renorm: true, renorm_momentum: c.renorm_momentum, renorm_clipping: c.clipping });
      expect(layerFromConfig('BatchNormalization', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
      tf.dispose([first, x, y, inputGrad, ...initial]);
      layer.dispose();
    },
  );

  it('rejects bad arguments and inputs clearly', () => {
    expect(() => new BatchNormalization({ axis: 1.5 })).toThrow(/`axis` must be a single integer, got 1.5/);
    expect(() => new BatchNormalization({ renorm: true, renormClipping: { rmx: 2 } })).toThrow(
      /invalid keys for `renormClipping`: rmx; supported: rmax, rmin, dmax/,
    );
    expect(() => new BatchNormalization({ renorm: true, renormClipping: { rmax: 1, rmin: 2 } })).toThrow(
      /rmax >= rmin/,
    );
    expect(() => new BatchNormalization({ momentum: 2 })).toThrow(/`momentum` must be in \[0, 1\], got 2/);
    expect(() => new BatchNormalization({ axis: 3 }).apply(Input([4, 5]))).toThrow(
      /axis 3 is out of range for input shape \(None, 4, 5\)/,
    );
    expect(() => new BatchNormalization({ axis: 0 }).apply(Input([4]))).toThrow(/batch axis/);
    expect(() => new BatchNormalization().apply(Input([null]))).toThrow(/known size/);
    const built = new BatchNormalization();
    built.apply(Input([3]));
    expect(() => built.apply(Input([4]))).toThrow(/axis -1 of the input to have size 3/);
  });
});
