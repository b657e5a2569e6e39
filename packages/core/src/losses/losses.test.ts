import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Huber,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  getLoss,
  hinge,
  huber,
  klDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  reduceWeightedValues,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from './index.js';

const t = (v: number[][] | number[]): tf.Tensor => tf.tensor(v);
const values = (x: tf.Tensor): number[] => Array.from(x.dataSync());

describe('loss functions (hand-computed)', () => {
  it('regression losses reduce the last axis', () => {
    const yt = t([
      [0, 1],
      [0, 0],
    ]);
    const yp = t([
      [1, 1],
      [1, 0],
    ]);
    expect(values(meanSquaredError(yt, yp))).toEqual([0.5, 0.5]);
    expect(
      values(
        meanAbsoluteError(
          yt,
          t([
            [0.5, 1],
            [2, 0],
          ]),
        ),
      ),
    ).toEqual([0.25, 1]);
    // 100 * mean(|(2-1)/2|, |(4-2)/4|) = 100 * 0.5
    expect(values(meanAbsolutePercentageError(t([[2, 4]]), t([[1, 2]])))[0]).toBeCloseTo(50, 4);
    // mean((log(3) - log(2))^2, (log(1+1e-7) - log(1))^2)
    expect(values(meanSquaredLogarithmicError(t([[1, 0]]), t([[2, 0]])))[0]).toBeCloseTo(Math.log(1.5) ** 2 / 2, 6);
    // Keras docstring: huber([[0,1],[0,0]], [[0.6,0.4],[0.4,0.6]]) mean over batch = 0.155
    expect(
      tf
        .mean(
          huber(
            t([
              [0, 1],
              [0, 0],
            ]),
            t([
              [0.6, 0.4],
              [0.4, 0.6],
            ]),
          ),
        )
        .dataSync()[0],
    ).toBeCloseTo(0.155, 5);
    expect(values(huber(t([[0]]), t([[3]]), 1))[0]).toBeCloseTo(3 - 0.5, 6);
    // Keras docstring: log_cosh([[0,1],[0,0]], [[1,1],[0,0]]) mean = 0.108
    expect(
      tf
        .mean(
          logCosh(
            t([
              [0, 1],
              [0, 0],
            ]),
            t([
              [1, 1],
              [0, 0],
            ]),
          ),
        )
        .dataSync()[0],
    ).toBeCloseTo(Math.log(Math.cosh(1)) / 4, 6);
    // Keras docstring example: [-0., -0.99999994, 0.99999994]
    const cos = values(
      cosineSimilarity(
        t([
          [0, 1],
          [1, 1],
          [1, 1],
        ]),
        t([
          [1, 0],
          [1, 1],
          [-1, -1],
        ]),
      ),
    );
    expect(cos[0]).toBeCloseTo(0, 6);
    expect(cos[1]).toBeCloseTo(-1, 6);
    expect(cos[2]).toBeCloseTo(1, 6);
  });

  it('binary crossentropy clips at 1e-7, supports logits and label smoothing', () => {
    // Keras docstring: [0.916, 0.714]
    const bce = values(
      binaryCrossentropy(
        t([
          [0, 1],
          [0, 0],
        ]),
        t([
          [0.6, 0.4],
          [0.4, 0.6],
        ]),
      ),
    );
    expect(bce[0]).toBeCloseTo((-Math.log(0.4) - Math.log(0.4)) / 2, 5);
    expect(bce[1]).toBeCloseTo((-Math.log(0.6) - Math.log(0.4)) / 2, 5);
    expect(bce[0]).toBeCloseTo(0.916, 3);
    // A prediction of exactly 0 for a positive target is clipped to 1e-7 (float32).
    expect(values(binaryCrossentropy(t([[1]]), t([[0]])))[0]).toBeCloseTo(-Math.log(Math.fround(1e-7)), 2);
    const logits = t([[2, -1]]);
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    const expected = (-Math.log(sig(2)) - Math.log(1 - sig(-1))) / 2;
    expect(values(binaryCrossentropy(t([[1, 0]]), logits, { fromLogits: true }))[0]).toBeCloseTo(expected, 5);
    // smoothing 0.2: targets 1 → 0.9, 0 → 0.1
    const smoothed = values(binaryCrossentropy(t([[1]]), t([[0.7]]), { labelSmoothing: 0.2 }))[0]!;
    expect(smoothed).toBeCloseTo(-(0.9 * Math.log(0.7) + 0.1 * Math.log(0.3)), 5);
  });

  it('categorical crossentropy renormalizes, clips, and smooths as Keras', () => {
    // Keras docstring: [0.0513, 2.303]
    const cce = values(
      categoricalCrossentropy(
        t([
          [0, 1, 0],
          [0, 0, 1],
        ]),
        t([
          [0.05, 0.95, 0],
          [0.1, 0.8, 0.1],
        ]),
      ),
    );
    expect(cce[0]).toBeCloseTo(-Math.log(0.95), 4);
    expect(cce[1]).toBeCloseTo(-Math.log(0.1), 4);
    // unnormalized predictions are divided by their sum first
    expect(values(categoricalCrossentropy(t([[1, 0]]), t([[2, 2]])))[0]).toBeCloseTo(Math.log(2), 5);
    const logits = [1, 2, 3];
    const lse = Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
    expect(values(categoricalCrossentropy(t([[0, 0, 1]]), t([logits]), { fromLogits: true }))[0]).toBeCloseTo(
      lse - 3,
      5,
    );
    // smoothing 0.3 over 3 classes: [0.1, 0.1, 0.8]
    const p = [0.2, 0.3, 0.5];
    const expected = -(0.1 * Math.log(0.2) + 0.1 * Math.log(0.3) + 0.8 * Math.log(0.5));
    expect(values(categoricalCrossentropy(t([[0, 0, 1]]), t([p]), { labelSmoothing: 0.3 }))[0]).toBeCloseTo(
      expected,
      5,
    );
    expect(() =>
      categoricalCrossentropy(
        t([1, 2]),
        t([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ),
    ).toThrow(/sparse_categorical_crossentropy/);
  });

  it('sparse categorical crossentropy takes [n] or [n, 1] integer labels', () => {
    // Keras docstring: [0.0513, 2.303]
    const a = values(
      sparseCategoricalCrossentropy(
        t([1, 2]),
        t([
          [0.05, 0.95, 0],
          [0.1, 0.8, 0.1],
        ]),
      ),
    );
    const b = values(
      sparseCategoricalCrossentropy(
        t([[1], [2]]),
        t([
          [0.05, 0.95, 0],
          [0.1, 0.8, 0.1],
        ]),
      ),
    );
    expect(a[0]).toBeCloseTo(-Math.log(0.95), 4);
    expect(a[1]).toBeCloseTo(-Math.log(0.1), 4);
    expect(b).toEqual(a);
    const logits = [0.5, -1, 2];
    const lse = Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
    expect(values(sparseCategoricalCrossentropy(t([0]), t([logits]), { fromLogits: true }))[0]).toBeCloseTo(
      lse - 0.5,
      5,
    );
    expect(() => sparseCategoricalCrossentropy(t([[0, 1]]), t([[0.5, 0.5]]))).toThrow(/integer class indices/);
  });

  it('kl divergence, poisson and hinge losses', () => {
    expect(values(klDivergence(t([[0.5, 0.5]]), t([[0.25, 0.75]])))[0]).toBeCloseTo(
      0.5 * Math.log(2) + 0.5 * Math.log(0.5 / 0.75),
      5,
    );
    expect(values(poisson(t([[1, 2]]), t([[2, 1]])))[0]).toBeCloseTo((2 - Math.log(2) + 1 - 0) / 2, 5);
    // 0/1 labels become -1/+1
    expect(values(hinge(t([[1, 0]]), t([[0.3, 0.4]])))[0]).toBeCloseTo((0.7 + 1.4) / 2, 5);
    expect(values(squaredHinge(t([[1, 0]]), t([[0.3, 0.4]])))[0]).toBeCloseTo((0.49 + 1.96) / 2, 5);
    // neg = max((1-t)*p) = 0.5, pos = 0.2 → 1.3
    expect(values(categoricalHinge(t([[0, 1, 0]]), t([[0.5, 0.2, 0.3]])))[0]).toBeCloseTo(1.3, 5);
  });
});

describe('Loss classes and reduction', () => {
  it('sum_over_batch_size divides the weighted sum by the number of samples', () => {
    const loss = new MeanSquaredError();
    const yt = t([[0], [0], [0]]);
    const yp = t([[1], [2], [3]]);
    expect(loss.apply(yt, yp).dataSync()[0]).toBeCloseTo(14 / 3, 5);
    expect(loss.apply(yt, yp, tf.tensor1d([1, 0, 2])).dataSync()[0]).toBeCloseTo((1 + 18) / 3, 5);
    expect(
      reduceWeightedValues(tf.tensor1d([1, 4]), tf.tensor1d([1, 3]), 'mean_with_sample_weight').dataSync()[0],
    ).toBeCloseTo(13 / 4, 5);
    expect(reduceWeightedValues(tf.tensor1d([1, 4]), null, 'sum').dataSync()[0]).toBe(5);
    expect(reduceWeightedValues(tf.tensor1d([1, 4]), null, 'none').shape).toEqual([2]);
  });

  it('configs use Keras keys and defaults', () => {
    expect(new CategoricalCrossentropy().getConfig()).toEqual({
      name: 'categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      from_logits: false,
      label_smoothing: 0,
      axis: -1,
    });
    expect(new SparseCategoricalCrossentropy({ fromLogits: true }).getConfig()).toMatchObject({
      from_logits: true,
      ignore_class: null,
    });
    expect(new BinaryCrossentropy().name).toBe('binary_crossentropy');
    expect(new Huber().getConfig()).toMatchObject({ name: 'huber_loss', delta: 1 });
    expect(() => new MeanSquaredError({ reduction: 'avg' as never })).toThrow(/valid choices/);
  });

  it('getLoss resolves snake_case names, aliases, class names and serialized forms', () => {
    for (const name of [
      'mse',
      'mae',
      'mape',
      'msle',
      'mean_squared_error',
      'categorical_crossentropy',
      'sparse_categorical_crossentropy',
      'binary_crossentropy',
      'huber',
      'kl_divergence',
      'poisson',
      'hinge',
      'MeanSquaredError',
    ]) {
      expect(getLoss(name).name).toBe(name === 'MeanSquaredError' ? 'mean_squared_error' : name);
    }
    const fromConfig = getLoss({
      className: 'CategoricalCrossentropy',
      config: { from_logits: true, label_smoothing: 0.1 },
    });
    expect(fromConfig.getConfig()).toMatchObject({ from_logits: true, label_smoothing: 0.1 });
    expect(() => getLoss('mean_sqared_error')).toThrow(
      /Unknown loss "mean_sqared_error"; valid choices: .*mean_squared_error/,
    );
  });
});
