/**
 * Keras's call forms and strict options for every layer (issue 11, "no silent surprises"):
 * each Keras positional call gives the config Keras would, unknown keys (snake_case above all)
 * fail with the camelCase hint naming the layer, and a layer called as a function says to use
 * `apply`. The per-class table must cover every registered layer class, so a new layer without
 * `optionKeys` (or with keys its config has but its constructor refuses) fails here.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  Input,
  Model,
  Sequential,
  getLayerClass,
  layerFromConfig,
  registeredLayerNames,
  toSnakeCase,
  type Layer,
} from '../index.js';
import * as L from './index.js';

type Options = Record<string, unknown>;
/** Builds a layer the Keras way; `o` is merged into its options (to try unknown keys). */
type Make = (o?: Options) => Layer;

const lstm = (): L.LSTM => new L.LSTM(4);

/** One sample per registered class: the Keras call, how Strata spells it, and the config it must give. */
const SAMPLES: Record<string, [keras: string, make: Make, expected: Options]> = {
  Activation: ['Activation("relu")', (o) => new L.Activation('relu', o), { activation: 'relu' }],
  ActivityRegularization: [
    'ActivityRegularization(0.1, 0.2)',
    (o) => new L.ActivityRegularization(0.1, 0.2, o),
    { l1: 0.1, l2: 0.2 },
  ],
  Add: ['Add()', (o) => new L.Add(o), {}],
  AdditiveAttention: [
    'AdditiveAttention(False, 0.1)',
    (o) => new L.AdditiveAttention(false, 0.1, o),
    { useScale: false, dropout: 0.1 },
  ],
  AlphaDropout: ['AlphaDropout(0.2)', (o) => new L.AlphaDropout(0.2, o), { rate: 0.2 }],
  Attention: [
    'Attention(True, "concat")',
    (o) => new L.Attention(true, 'concat', o),
    { useScale: true, scoreMode: 'concat' },
  ],
  Average: ['Average()', (o) => new L.Average(o), {}],
  AveragePooling1D: ['AveragePooling1D(3, 1)', (o) => new L.AveragePooling1D(3, 1, o), { poolSize: [3], strides: [1] }],
  AveragePooling2D: ['AveragePooling2D(3)', (o) => new L.AveragePooling2D(3, o), { poolSize: [3, 3], strides: [3, 3] }],
  AveragePooling3D: [
    'AveragePooling3D((1, 2, 3))',
    (o) => new L.AveragePooling3D([1, 2, 3], o),
    { poolSize: [1, 2, 3] },
  ],
  BatchNormalization: [
    'BatchNormalization(1, 0.9)',
    (o) => new L.BatchNormalization(1, 0.9, o),
    { axis: 1, momentum: 0.9 },
  ],
  Bidirectional: ['Bidirectional(LSTM(4), "sum")', (o) => new L.Bidirectional(lstm(), 'sum', o), { mergeMode: 'sum' }],
  Concatenate: ['Concatenate(1)', (o) => new L.Concatenate(1, o), { axis: 1 }],
  Conv1D: ['Conv1D(8, 5)', (o) => new L.Conv1D(8, 5, o), { filters: 8, kernelSize: [5] }],
  Conv1DTranspose: ['Conv1DTranspose(8, 3)', (o) => new L.Conv1DTranspose(8, 3, o), { filters: 8, kernelSize: [3] }],
  Conv2D: ['Conv2D(32, (3, 3))', (o) => new L.Conv2D(32, [3, 3], o), { filters: 32, kernelSize: [3, 3] }],
  Conv2DTranspose: [
    'Conv2DTranspose(16, 3)',
    (o) => new L.Conv2DTranspose(16, 3, o),
    { filters: 16, kernelSize: [3, 3] },
  ],
  Conv3D: ['Conv3D(4, (1, 2, 3))', (o) => new L.Conv3D(4, [1, 2, 3], o), { filters: 4, kernelSize: [1, 2, 3] }],
  Conv3DTranspose: [
    'Conv3DTranspose(4, 2)',
    (o) => new L.Conv3DTranspose(4, 2, o),
    { filters: 4, kernelSize: [2, 2, 2] },
  ],
  Cropping1D: ['Cropping1D((1, 2))', (o) => new L.Cropping1D([1, 2], o), { cropping: [1, 2] }],
  Cropping2D: [
    'Cropping2D(((1, 2), (3, 4)))',
    (o) =>
      new L.Cropping2D(
        [
          [1, 2],
          [3, 4],
        ],
        o,
      ),
    {
      cropping: [
        [1, 2],
        [3, 4],
      ],
    },
  ],
  Cropping3D: [
    'Cropping3D(2)',
    (o) => new L.Cropping3D(2, o),
    {
      cropping: [
        [2, 2],
        [2, 2],
        [2, 2],
      ],
    },
  ],
  Dense: ['Dense(10, "relu")', (o) => new L.Dense(10, 'relu', o), { units: 10, activation: 'relu' }],
  DepthwiseConv1D: ['DepthwiseConv1D(3, 2)', (o) => new L.DepthwiseConv1D(3, 2, o), { kernelSize: [3], strides: [2] }],
  DepthwiseConv2D: ['DepthwiseConv2D(3)', (o) => new L.DepthwiseConv2D(3, o), { kernelSize: [3, 3] }],
  Dot: ['Dot(1, True)', (o) => new L.Dot(1, true, o), { axes: 1, normalize: true }],
  Dropout: ['Dropout(0.5, (None, 1))', (o) => new L.Dropout(0.5, [null, 1], o), { rate: 0.5, noiseShape: [null, 1] }],
  ELU: ['ELU(0.5)', (o) => new L.ELU(0.5, o), { alpha: 0.5 }],
  IntegerLookup: ['IntegerLookup(10, 2)', (o) => new L.IntegerLookup(10, 2, o), { maxTokens: 10, numOovIndices: 2 }],
  Normalization: ['Normalization(None)', (o) => new L.Normalization(null, o), { axis: [] }],
  StringLookup: ['StringLookup(10)', (o) => new L.StringLookup(10, o), { maxTokens: 10, numOovIndices: 1 }],
  TextVectorization: [
    'TextVectorization(100, "lower")',
    (o) => new L.TextVectorization(100, 'lower', o),
    { maxTokens: 100, standardize: 'lower' },
  ],
  Embedding: ['Embedding(1000, 64)', (o) => new L.Embedding(1000, 64, o), { inputDim: 1000, outputDim: 64 }],
  Flatten: ['Flatten("channels_first")', (o) => new L.Flatten('channels_first', o), { dataFormat: 'channels_first' }],
  GRU: ['GRU(4, "relu")', (o) => new L.GRU(4, 'relu', o), { units: 4, activation: 'relu' }],
  GRUCell: ['GRUCell(4)', (o) => new L.GRUCell(4, o), { units: 4 }],
  GaussianDropout: ['GaussianDropout(0.3)', (o) => new L.GaussianDropout(0.3, o), { rate: 0.3 }],
  GaussianNoise: ['GaussianNoise(0.1)', (o) => new L.GaussianNoise(0.1, o), { stddev: 0.1 }],
  GlobalAveragePooling1D: [
    'GlobalAveragePooling1D("channels_first", True)',
    (o) => new L.GlobalAveragePooling1D('channels_first', true, o),
    { dataFormat: 'channels_first', keepdims: true },
  ],
  GlobalAveragePooling2D: [
    'GlobalAveragePooling2D(keepdims=True)',
    (o) => new L.GlobalAveragePooling2D({ keepdims: true, ...o }),
    { keepdims: true },
  ],
  GlobalAveragePooling3D: ['GlobalAveragePooling3D()', (o) => new L.GlobalAveragePooling3D(o), { keepdims: false }],
  GlobalMaxPooling1D: ['GlobalMaxPooling1D()', (o) => new L.GlobalMaxPooling1D(o), { keepdims: false }],
  GlobalMaxPooling2D: [
    'GlobalMaxPooling2D("channels_last", True)',
    (o) => new L.GlobalMaxPooling2D('channels_last', true, o),
    { keepdims: true },
  ],
  GlobalMaxPooling3D: ['GlobalMaxPooling3D()', (o) => new L.GlobalMaxPooling3D(o), { keepdims: false }],
  GroupNormalization: ['GroupNormalization(4)', (o) => new L.GroupNormalization(4, o), { groups: 4 }],
  Identity: ['Identity()', (o) => new L.Identity(o), {}],
  LSTM: ['LSTM(8)', (o) => new L.LSTM(8, o), { units: 8 }],
  LSTMCell: ['LSTMCell(8, "relu")', (o) => new L.LSTMCell(8, 'relu', o), { units: 8, activation: 'relu' }],
  LayerNormalization: [
    'LayerNormalization(-1, 1e-5)',
    (o) => new L.LayerNormalization(-1, 1e-5, o),
    { axis: -1, epsilon: 1e-5 },
  ],
  LeakyReLU: ['LeakyReLU(0.1)', (o) => new L.LeakyReLU(0.1, o), { negativeSlope: 0.1 }],
  Masking: ['Masking(-1.0)', (o) => new L.Masking(-1, o), { maskValue: -1 }],
  MaxPooling1D: ['MaxPooling1D(4)', (o) => new L.MaxPooling1D(4, o), { poolSize: [4], strides: [4] }],
  MaxPooling2D: ['MaxPooling2D(3, 1)', (o) => new L.MaxPooling2D(3, 1, o), { poolSize: [3, 3], strides: [1, 1] }],
  MaxPooling3D: [
    'MaxPooling3D(pool_size=3)',
    (o) => new L.MaxPooling3D({ poolSize: 3, ...o }),
    { poolSize: [3, 3, 3] },
  ],
  Maximum: ['Maximum()', (o) => new L.Maximum(o), {}],
  Minimum: ['Minimum()', (o) => new L.Minimum(o), {}],
  MultiHeadAttention: [
    'MultiHeadAttention(2, 8)',
    (o) => new L.MultiHeadAttention(2, 8, o),
    { numHeads: 2, keyDim: 8 },
  ],
  Multiply: ['Multiply()', (o) => new L.Multiply(o), {}],
  PReLU: ['PReLU("ones")', (o) => new L.PReLU('ones', o), {}],
  Permute: ['Permute((2, 1))', (o) => new L.Permute([2, 1], o), { dims: [2, 1] }],
  RMSNormalization: [
    'RMSNormalization(-1, 1e-5)',
    (o) => new L.RMSNormalization(-1, 1e-5, o),
    { axis: -1, epsilon: 1e-5 },
  ],
  RNN: ['RNN(SimpleRNNCell(3))', (o) => new L.RNN(new L.SimpleRNNCell(3), o), {}],
  ReLU: ['ReLU(6.0)', (o) => new L.ReLU(6, o), { maxValue: 6 }],
  RepeatVector: ['RepeatVector(3)', (o) => new L.RepeatVector(3, o), { n: 3 }],
  Rescaling: ['Rescaling(1 / 255, -1)', (o) => new L.Rescaling(1 / 255, -1, o), { scale: 1 / 255, offset: -1 }],
  Reshape: ['Reshape((3, 4))', (o) => new L.Reshape([3, 4], o), { targetShape: [3, 4] }],
  SeparableConv1D: ['SeparableConv1D(8, 3)', (o) => new L.SeparableConv1D(8, 3, o), { filters: 8, kernelSize: [3] }],
  SeparableConv2D: [
    'SeparableConv2D(8, (3, 3))',
    (o) => new L.SeparableConv2D(8, [3, 3], o),
    { filters: 8, kernelSize: [3, 3] },
  ],
  SimpleRNN: ['SimpleRNN(5, "relu")', (o) => new L.SimpleRNN(5, 'relu', o), { units: 5, activation: 'relu' }],
  SimpleRNNCell: ['SimpleRNNCell(5)', (o) => new L.SimpleRNNCell(5, o), { units: 5 }],
  Softmax: ['Softmax(1)', (o) => new L.Softmax(1, o), { axis: 1 }],
  SpatialDropout1D: ['SpatialDropout1D(0.3)', (o) => new L.SpatialDropout1D(0.3, o), { rate: 0.3 }],
  SpatialDropout2D: [
    'SpatialDropout2D(0.3, "channels_first")',
    (o) => new L.SpatialDropout2D(0.3, 'channels_first', o),
    { rate: 0.3, dataFormat: 'channels_first' },
  ],
  SpatialDropout3D: ['SpatialDropout3D(0.3)', (o) => new L.SpatialDropout3D(0.3, o), { rate: 0.3 }],
  StackedRNNCells: [
    'StackedRNNCells([SimpleRNNCell(2), SimpleRNNCell(3)])',
    (o) => new L.StackedRNNCells([new L.SimpleRNNCell(2), new L.SimpleRNNCell(3)], o),
    {},
  ],
  Subtract: ['Subtract()', (o) => new L.Subtract(o), {}],
  TimeDistributed: ['TimeDistributed(Dense(3))', (o) => new L.TimeDistributed(new L.Dense(3), o), {}],
  UnitNormalization: ['UnitNormalization(1)', (o) => new L.UnitNormalization(1, o), { axis: 1 }],
  UpSampling1D: ['UpSampling1D(3)', (o) => new L.UpSampling1D(3, o), { size: 3 }],
  UpSampling2D: ['UpSampling2D(3)', (o) => new L.UpSampling2D(3, o), { size: [3, 3] }],
  UpSampling3D: ['UpSampling3D((1, 2, 3))', (o) => new L.UpSampling3D([1, 2, 3], o), { size: [1, 2, 3] }],
  ZeroPadding1D: ['ZeroPadding1D(2)', (o) => new L.ZeroPadding1D(2, o), { padding: [2, 2] }],
  ZeroPadding2D: [
    'ZeroPadding2D((3, 3))',
    (o) => new L.ZeroPadding2D([3, 3], o),
    {
      padding: [
        [3, 3],
        [3, 3],
      ],
    },
  ],
  ZeroPadding3D: [
    'ZeroPadding3D(1, "channels_first")',
    (o) => new L.ZeroPadding3D(1, 'channels_first', o),
    {
      padding: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      dataFormat: 'channels_first',
    },
  ],
};

/** Classes built by other means (`Input()`, model constructors), checked in their own tests. */
const NOT_LAYERS = new Set(['InputLayer', 'Functional', 'Sequential']);

/** A camelCase option of the layer's config (its snake_case spelling is the typo to try), else `inputShape`. */
function camelKeyOf(config: Options): string {
  return Object.keys(config).find((k) => /[A-Z]/.test(k) && k !== 'activityRegularizer') ?? 'inputShape';
}

describe('Keras positional call forms', () => {
  for (const [className, [keras, make, expected]] of Object.entries(SAMPLES)) {
    it(`${keras} gives Keras's config`, () => {
      const layer = make();
      expect(layer.className).toBe(className);
      expect(layer.getConfig()).toMatchObject(expected);
    });
  }

  it('every registered layer class has a sample', () => {
    const missing = registeredLayerNames().filter((n) => !NOT_LAYERS.has(n) && !Object.hasOwn(SAMPLES, n));
    expect(missing).toEqual([]);
  });

  it('the object forms still work, Keras keywords as options', () => {
    expect(new L.Conv2D(32, { kernelSize: 3 }).kernelSize).toEqual([3, 3]);
    expect(new L.Conv2D({ filters: 4, kernelSize: [1, 2] }).getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [1, 2],
    });
    expect(new L.MaxPooling2D({ poolSize: 3 }).poolSize).toEqual([3, 3]);
    expect(new L.MaxPooling2D().poolSize).toEqual([2, 2]);
    expect(new L.Dense(3, { activation: 'tanh' }).getConfig()).toMatchObject({ units: 3, activation: 'tanh' });
    expect(new L.Embedding({ inputDim: 10, outputDim: 2 }).getConfig()).toMatchObject({ inputDim: 10, outputDim: 2 });
    expect(
      new L.ZeroPadding2D({
        padding: [
          [1, 2],
          [3, 4],
        ],
      }).padding,
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(new L.BatchNormalization({ axis: 1 }).getConfig()).toMatchObject({ axis: 1 });
  });

  it('refuses a value given twice or too many arguments, naming the layer', () => {
    expect(() => new L.Conv2D(32, 3, { kernelSize: 5 } as never)).toThrow(/Conv2D: `kernelSize` given twice/);
    expect(
      () => new (L.UpSampling2D as unknown as new (...a: unknown[]) => Layer)(2, 'channels_last', 'bilinear'),
    ).toThrow(/UpSampling2D: takes size, dataFormat and an options object, got 3 arguments/);
  });
});

describe('unknown option keys', () => {
  it('kernel_size and pool_size fail with the camelCase hint naming the layer', () => {
    expect(() => new L.Conv2D(32, { kernel_size: 3 } as never)).toThrow(
      /^Conv2D: unknown option "kernel_size"; did you mean "kernelSize"\?/,
    );
    expect(() => new L.MaxPooling2D({ pool_size: 3 } as never)).toThrow(
      /^MaxPooling2D: unknown option "pool_size"; did you mean "poolSize"\?/,
    );
    expect(() => new L.Dense(3, { name: 'out', use_bias: false } as never)).toThrow(
      /^Dense "out": unknown option "use_bias"; did you mean "useBias"\?/,
    );
    expect(() => new L.LSTM(3, { return_sequences: true } as never)).toThrow(
      /LSTM: unknown option "return_sequences"; did you mean "returnSequences"/,
    );
    expect(() => new L.SpatialDropout1D(0.1, { noise_shape: [1] } as never)).toThrow(
      /SpatialDropout1D: unknown option "noise_shape"/,
    );
  });

  for (const [className, [, make]] of Object.entries(SAMPLES)) {
    it(`${className}: its config's keys are accepted, a snake_case key is refused`, () => {
      const cls = getLayerClass(className)!;
      const config = make().getConfig();
      // Strict (not a file's config): every key getConfig writes must be a constructor option.
      const rebuilt = cls.fromConfig(config);
      expect(rebuilt.getConfig()).toEqual({ ...config, name: rebuilt.name });
      const key = camelKeyOf(config);
      const snake = toSnakeCase(key);
      const hint = new RegExp(`^${className}: unknown option "${snake}"; did you mean "${key}"\\?`);
      expect(() => make({ [snake]: config[key] ?? [2] })).toThrow(hint);
      expect(() => cls.fromConfig({ ...config, name: undefined, [snake]: config[key] ?? [2] })).toThrow(hint);
    });
  }

  it("a file's config may carry keys the runtime ignores: loading is not strict", () => {
    const layer = layerFromConfig('Dense', { units: 2, loraRank: null, kernelQuantizer: null });
    expect(layer.getConfig()).toMatchObject({ units: 2 });
    expect(() => L.Dense.fromConfig({ units: 2, loraRank: null })).toThrow(/Dense: unknown option "loraRank"/);
  });
});

describe('Input', () => {
  it("takes Keras's positional (shape, batch_size, dtype) and refuses a value where the options belong", () => {
    const sized = Input([80], 32, 'int32');
    expect([sized.shape, sized.dtype]).toEqual([[32, 80], 'int32']);
    const unsized = Input([80], null, 'int32', { name: 'tokens' });
    expect([unsized.shape, unsized.dtype, unsized.sourceLayer.name]).toEqual([[null, 80], 'int32', 'tokens']);
    // Keras's second positional argument is batch_size: a dtype there is a mistake, said plainly.
    expect(() => Input([80], 'int32' as never)).toThrow(/Input: expected an options object .* got "int32"/);
  });
});

describe('calling a layer as a function', () => {
  const call = (f: unknown, ...args: unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

  it('throws a TypeError that says to use apply, for layers and models', () => {
    const dense = new L.Dense(2, { name: 'head' });
    const x = Input([3]);
    expect(() => call(dense, x)).toThrow(TypeError);
    expect(() => call(dense, x)).toThrow(
      'Dense "head" is not a function; in Strata use layer.apply(x) (Keras\'s layer(x))',
    );
    const model = new Sequential([Input([3]), new L.Dense(2)], { name: 'seq' });
    expect(() => call(model, x)).toThrow(/^Sequential "seq" is not a function; in Strata use model.apply\(x\)/);
    model.dispose();
    dense.dispose();
  });

  it('stays a layer in every other way: instanceof, own name, no function length, inspect', async () => {
    const dense = new L.Dense(2);
    expect(dense).toBeInstanceOf(L.Dense);
    expect(Object.getOwnPropertyDescriptor(dense, 'name')?.value).toBe(dense.name);
    expect(dense.name).toMatch(/^dense/);
    expect(Object.hasOwn(dense, 'length')).toBe(false);
    const { inspect } = await import('node:util');
    expect(inspect(dense, { depth: 0 })).toMatch(/^Dense \{/);
    dense.dispose();
  });

  it('Sequential and functional models built from callable layers train and predict', async () => {
    const before = tf.memory().numTensors;
    const seq = new Sequential([Input([3]), new L.Dense(4, 'relu'), new L.Dropout(0.1), new L.Dense(1)]);
    const input = Input([3]);
    const hidden = new L.Dense(4, 'relu').apply(input);
    const functional = new Model(input, new L.Dense(1).apply(hidden));
    const x = tf.ones([2, 3]);
    const target = tf.zeros([2, 1]);
    for (const model of [seq, functional]) {
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      await model.fit(x, target, { epochs: 1, verbose: 0 });
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 1]);
      y.dispose();
    }
    x.dispose();
    target.dispose();
    seq.dispose();
    functional.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
