/**
 * Conformance of the Keras dropout family with Keras 3 (keras/src/layers/regularization/*_test.py)
 * plus the cases Keras does not test (see shared/reference/dropout-semantics.md).
 * Statistical tolerances are 4 standard errors of the estimate, computed in each test.
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, layers, tf } from '@strata/core';

const {
  Dropout,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  GaussianDropout,
  GaussianNoise,
  AlphaDropout,
  ActivityRegularization,
} = layers;

function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function std(v: Float32Array): number {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
}

describe('Dropout', () => {
  it("rejects rates outside [0, 1] with Keras's message", () => {
    expect(() => new Dropout(-0.5)).toThrow(
      'Invalid value received for argument `rate`. Expected a float value between 0 and 1.',
    );
    expect(() => new Dropout(1.5)).toThrow('Expected a float value between 0 and 1. Received: rate=1.5');
  });

  it('validates noise_shape as Keras does', () => {
    expect(new Dropout(0.5).noiseShape).toBeNull();
    expect(new Dropout(0.5, { noiseShape: [null, 1, null] }).noiseShape).toEqual([null, 1, null]);
    expect(() => new Dropout(0.5, { noiseShape: 'Invalid' as unknown as number[] })).toThrow(
      'Expected a tuple or list of integers.',
    );
    expect(() => new Dropout(0.5, { noiseShape: [20, 1.5, 10] })).toThrow(
      'Expected all elements to be integers or None.',
    );
    expect(() => new Dropout(0.5, { noiseShape: [20, -1, 10] })).toThrow(
      'Expected all dimensions to be positive integers or None.',
    );
    expect(() => new Dropout(0.5, { noiseShape: [20, 0, 10] })).toThrow(
      'Expected all dimensions to be positive integers or None.',
    );
  });

  it('rescales kept units by 1/(1-rate) and keeps the mean (Keras test_dropout_rescaling)', () => {
    const x = tf.ones([20, 500]);
    const y = new Dropout(0.5, { seed: 1337 }).apply(x, { training: true });
    const v = values(y);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    // Each output is 0 or 2 with p = 0.5: variance 1, so the mean of 10,000 has standard error 0.01.
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(1 / v.length));
    expect(Math.max(...v)).toBe(2);
    expect(new Set(v)).toEqual(new Set([0, 2]));
    tf.dispose([x, y]);
  });

  it('is the exact identity at inference and with rate 0, and zeros with rate 1 in training', () => {
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 3);
    const inference = new Dropout(0.7).apply(x);
    expect(Array.from(values(inference))).toEqual(Array.from(values(x)));
    const rateZero = new Dropout(0).apply(x, { training: true });
    expect(Array.from(values(rateZero))).toEqual(Array.from(values(x)));
    const rateOne = new Dropout(1).apply(x, { training: true });
    expect(Array.from(values(rateOne)).every((v) => v === 0)).toBe(true);
    tf.dispose([x, inference, rateZero, rateOne]);
  });

  it('shares the mask over axes where noise_shape is 1 (null entries filled from the input)', () => {
    const x = tf.ones([20, 5, 10]);
    for (const noiseShape of [
      [null, 1, null],
      [20, 1, 10],
    ]) {
      const y = new Dropout(0.5, { noiseShape, seed: 1 }).apply(x, { training: true });
      const first = values(tf.slice(y, [0, 0, 0], [20, 1, 10]));
      const second = values(tf.slice(y, [0, 1, 0], [20, 1, 10]));
      expect(Array.from(first)).toEqual(Array.from(second));
      y.dispose();
    }
    x.dispose();
  });

  it('draws a different mask on each call, and the same sequence after re-creation with the seed', () => {
    const x = tf.ones([8, 64]);
    const run = () => {
      const layer = new Dropout(0.5, { seed: 42 });
      return [0, 1, 2].map(() => Array.from(values(layer.apply(x, { training: true }))));
    };
    const a = run();
    const b = run();
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(b).toEqual(a);
    x.dispose();
  });

  it('supports masking and has no weights, and applies training=true recorded on a symbolic call', () => {
    const layer = new Dropout(0.2);
    expect(layer.supportsMasking).toBe(true);
    const input = Input([10]);
    const model = new Model({ inputs: input, outputs: new Dropout(1).apply(input, { training: true }) });
    const y = model.apply(tf.ones([2, 10])) as tf.Tensor;
    expect(Array.from(values(y)).every((v) => v === 0)).toBe(true);
    expect(layer.weights).toHaveLength(0);
    y.dispose();
  });
});

describe('SpatialDropout1D/2D/3D', () => {
  const cases = [
    { make: (r: number) => new SpatialDropout1D(r, { seed: 5 }), shape: [6, 7, 9], channelAxis: 2 },
    { make: (r: number) => new SpatialDropout2D(r, { seed: 5 }), shape: [6, 4, 5, 9], channelAxis: 3 },
    {
      make: (r: number) => new SpatialDropout2D(r, { seed: 5, dataFormat: 'channels_first' }),
      shape: [6, 9, 4, 5],
      channelAxis: 1,
    },
    { make: (r: number) => new SpatialDropout3D(r, { seed: 5 }), shape: [6, 3, 4, 2, 9], channelAxis: 4 },
    {
      make: (r: number) => new SpatialDropout3D(r, { seed: 5, dataFormat: 'channels_first' }),
      shape: [6, 9, 3, 4, 2],
      channelAxis: 1,
    },
  ];

  it.each(cases)(
    'drops whole feature maps: per (sample, channel) all positions dropped or all kept ($shape)',
    ({ make, shape, channelAxis }) => {
      const x = tf.ones(shape);
      const y = make(0.5).apply(x, { training: true });
      const buffer = tf.buffer(y.shape, 'float32', values(y));
      const groups = new Map<string, Set<number>>();
      for (let flat = 0; flat < y.size; flat++) {
        const index = buffer.indexToLoc(flat);
        const key = `${index[0]}:${index[channelAxis]}`;
        const set = groups.get(key) ?? new Set<number>();
        set.add(buffer.get(...index));
        groups.set(key, set);
      }
      const kinds = new Set<number>();
      for (const set of groups.values()) {
        expect(set.size).toBe(1);
        kinds.add([...set][0]!);
      }
      expect(kinds).toEqual(new Set([0, 2]));
      tf.dispose([x, y]);
    },
  );

  it('rejects inputs of the wrong rank at construction, naming the layer', () => {
    expect(() => new SpatialDropout2D(0.5, { name: 'sd' }).apply(Input([5, 3]))).toThrow(/"sd".*rank 4/);
    expect(() => new SpatialDropout1D(0.5).apply(Input([5, 3, 2]))).toThrow(/rank 3/);
    expect(() => new SpatialDropout3D(0.5).apply(Input([5, 3, 2]))).toThrow(/rank 5/);
  });

  it("has Keras's config (rate, seed, name, dtype, data_format; no noise_shape or trainable)", () => {
    const config = new SpatialDropout2D(0.3, { name: 'sd2', seed: 1 }).kerasConfig();
    expect(Object.keys(config).sort()).toEqual(['data_format', 'dtype', 'name', 'rate', 'seed']);
    expect(config['data_format']).toBe('channels_last');
    expect(Object.keys(new SpatialDropout1D(0.3).kerasConfig()).sort()).toEqual(['dtype', 'name', 'rate', 'seed']);
  });

  it('is the identity at inference', () => {
    const x = tf.randomNormal([2, 3, 3, 4]);
    const y = new SpatialDropout2D(0.9).apply(x, { training: false });
    expect(Array.from(values(y))).toEqual(Array.from(values(x)));
    tf.dispose([x, y]);
  });
});

describe('GaussianDropout, GaussianNoise, AlphaDropout', () => {
  const n = 20 * 500;

  it('GaussianDropout: std ≈ sqrt(rate/(1-rate)) (Keras test_gaussian_dropout_correctness)', () => {
    const x = tf.ones([20, 500]);
    const y = new GaussianDropout(0.3, { seed: 1337 }).apply(x, { training: true });
    const sigma = Math.sqrt(0.3 / 0.7);
    // Standard error of a normal sample's std: sigma / sqrt(2n).
    expect(Math.abs(std(values(y)) - sigma)).toBeLessThan((4 * sigma) / Math.sqrt(2 * n));
    tf.dispose([x, y]);
  });

  it("GaussianNoise: std ≈ stddev, and Keras's stddev range check", () => {
    const x = tf.ones([20, 500]);
    const y = new GaussianNoise(0.3, { seed: 1337 }).apply(x, { training: true });
    expect(Math.abs(std(values(y)) - 0.3)).toBeLessThan((4 * 0.3) / Math.sqrt(2 * n));
    expect(() => new GaussianNoise(2)).toThrow('Expected a float value between 0 and 1. Received: stddev=2');
    tf.dispose([x, y]);
  });

  it("AlphaDropout: output std as derived from Keras's affine correction, and identity at inference", () => {
    const rate = 0.3;
    const x = tf.ones([20, 500]);
    const y = new AlphaDropout(rate, { seed: 1337 }).apply(x, { training: true });
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const keep = 1 - rate;
    const expected = a * Math.sqrt(keep * rate) * (1 - alphaP);
    // Std of a scaled Bernoulli: its sample std has standard error sigma*sqrt((kurtosis-1)/(4n)).
    const kurtosis = (1 - 6 * keep * rate) / (keep * rate) + 3;
    expect(Math.abs(std(values(y)) - expected)).toBeLessThan(4 * expected * Math.sqrt((kurtosis - 1) / (4 * n)));
    // Keras's own test: std ≈ 1.0 within 0.1.
    expect(Math.abs(std(values(y)) - 1)).toBeLessThan(0.1);
    const inference = new AlphaDropout(rate).apply(x);
    expect(Array.from(values(inference)).every((v) => v === 1)).toBe(true);
    tf.dispose([x, y, inference]);
  });

  it('AlphaDropout shares noise over noise_shape axes', () => {
    const x = tf.ones([20, 5, 10]);
    const y = new AlphaDropout(0.5, { noiseShape: [null, 1, null], seed: 3 }).apply(x, { training: true });
    expect(Array.from(values(tf.slice(y, [0, 0, 0], [20, 1, 10])))).toEqual(
      Array.from(values(tf.slice(y, [0, 1, 0], [20, 1, 10]))),
    );
    tf.dispose([x, y]);
  });
});

describe('ActivityRegularization', () => {
  it('adds (l1·Σ|x| + l2·Σx²)/batch to the collected losses (Keras test_correctness)', async () => {
    const { collectLosses } = await import('@strata/core');
    const layer = new ActivityRegularization({ l1: 0.2, l2: 0.3 });
    const x = tf.mul(2, tf.ones([1]));
    const { result, losses } = collectLosses(() => layer.apply(x, { training: true }));
    expect(losses).toHaveLength(1);
    expect(losses[0]!.dataSync()[0]).toBeCloseTo(4 * 0.3 + 2 * 0.2, 6);
    expect(Object.keys(layer.kerasConfig())).not.toContain('activity_regularizer');
    tf.dispose([x, result, ...losses]);
  });
});

describe('no tensor leaks', () => {
  it('leaves tf.memory().numTensors at its baseline across training calls of every kind', () => {
    const all = [
      new Dropout(0.5, { seed: 1 }),
      new SpatialDropout2D(0.5),
      new GaussianDropout(0.3),
      new GaussianNoise(0.1),
      new AlphaDropout(0.2),
      new ActivityRegularization({ l1: 0.1 }),
    ];
    const x = tf.ones([2, 4, 4, 3]);
    const before = tf.memory().numTensors;
    for (const layer of all) {
      for (const training of [true, false]) {
        const y = layer.apply(x, { training });
        if (y !== x) y.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
