/**
 * Every registered layer class survives serialization: getConfig → fromConfig → getConfig
 * is equal, and a model holding it goes model → IR → Keras 3 JSON → IR → model with
 * identical JSON. A registered class without an entry in the table below fails the suite,
 * so a new layer must be added here.
 */
import { tf } from '@strata/core';
import { describe, expect, it } from 'vitest';
import '../../../packages/core/src/layers/index.js';
import { configToCamel } from '../../../packages/core/src/utils/config-case.js';
import { Input } from '../../../packages/core/src/engine/input-layer.js';
import type { KerasTensor } from '../../../packages/core/src/engine/keras-tensor.js';
import type { Layer } from '../../../packages/core/src/engine/layer.js';
import { Model } from '../../../packages/core/src/engine/model.js';
import { layerFromConfig, registeredLayerNames } from '../../../packages/core/src/engine/registry.js';
import { Sequential } from '../../../packages/core/src/engine/sequential.js';
import { modelFromKerasJson, modelToKerasJson } from '../../../packages/core/src/saving/index.js';

type Dims = (number | null)[];

interface Entry {
  /** Minimal Keras (snake_case) config. */
  config: Record<string, unknown>;
  /** Input shape(s) without batch for putting the layer in a model; null: config round trip only. */
  input: Dims | Dims[] | null;
  inputDtype?: string;
}

const serialized = (className: string, config: Record<string, unknown>): Record<string, unknown> => ({
  module: 'keras.layers',
  class_name: className,
  config,
  registered_name: null,
});

const seq1d: Dims = [5, 3];
const image: Dims = [5, 5, 2];
const flat: Dims = [4];
const pair: Dims[] = [[4], [4]];

/** Minimal configs per registered class. */
const TABLE: Record<string, Entry> = {
  Activation: { config: { activation: 'relu' }, input: flat },
  AdditiveAttention: {
    config: {},
    input: [
      [3, 4],
      [5, 4],
    ],
  },
  Attention: {
    config: { use_scale: true, score_mode: 'concat' },
    input: [
      [3, 4],
      [5, 4],
      [5, 4],
    ],
  },
  MultiHeadAttention: {
    config: { num_heads: 2, key_dim: 3, value_dim: 2 },
    input: [
      [3, 4],
      [5, 6],
    ],
  },
  ActivityRegularization: { config: { l1: 0.01, l2: 0.0 }, input: flat },
  Add: { config: {}, input: pair },
  AlphaDropout: { config: { rate: 0.1 }, input: flat },
  Average: { config: {}, input: pair },
  AveragePooling1D: { config: { pool_size: 2 }, input: [6, 3] },
  AveragePooling2D: { config: { pool_size: [2, 2] }, input: [4, 4, 2] },
  BatchNormalization: { config: {}, input: image },
  Bidirectional: { config: { layer: serialized('LSTM', { units: 2 }) }, input: seq1d },
  Concatenate: { config: { axis: -1 }, input: [[4], [3]] },
  Conv1D: { config: { filters: 2, kernel_size: 3 }, input: [6, 3] },
  Conv2D: { config: { filters: 2, kernel_size: [3, 3] }, input: image },
  Conv2DTranspose: { config: { filters: 2, kernel_size: [3, 3] }, input: [4, 4, 2] },
  Conv3D: { config: { filters: 2, kernel_size: [2, 2, 2] }, input: [3, 3, 3, 1] },
  Cropping1D: { config: { cropping: [1, 1] }, input: [6, 3] },
  Cropping2D: {
    config: {
      cropping: [
        [1, 1],
        [1, 1],
      ],
    },
    input: image,
  },
  Cropping3D: {
    config: {
      cropping: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    },
    input: [4, 4, 4, 1],
  },
  Dense: { config: { units: 3 }, input: flat },
  AveragePooling3D: { config: { pool_size: [2, 2, 2] }, input: [4, 4, 4, 1] },
  Conv1DTranspose: { config: { filters: 2, kernel_size: 3 }, input: [6, 3] },
  Conv3DTranspose: { config: { filters: 2, kernel_size: [2, 2, 2] }, input: [3, 3, 3, 1] },
  DepthwiseConv1D: { config: { kernel_size: 3 }, input: [6, 3] },
  GlobalAveragePooling3D: { config: {}, input: [3, 3, 3, 2] },
  GlobalMaxPooling3D: { config: {}, input: [3, 3, 3, 2] },
  GroupNormalization: { config: { groups: 2 }, input: [5, 4] },
  MaxPooling3D: { config: { pool_size: [2, 2, 2] }, input: [4, 4, 4, 1] },
  RMSNormalization: { config: {}, input: seq1d },
  SeparableConv1D: { config: { filters: 2, kernel_size: 3 }, input: [6, 3] },
  UnitNormalization: { config: {}, input: flat },
  DepthwiseConv2D: { config: { kernel_size: [3, 3] }, input: image },
  Dot: { config: { axes: 1 }, input: pair },
  Dropout: { config: { rate: 0.5 }, input: flat },
  ELU: { config: { alpha: 1.0 }, input: flat },
  Embedding: { config: { input_dim: 10, output_dim: 3 }, input: [5], inputDtype: 'int32' },
  Flatten: { config: {}, input: [3, 2] },
  GaussianDropout: { config: { rate: 0.1 }, input: flat },
  GaussianNoise: { config: { stddev: 0.1 }, input: flat },
  GlobalAveragePooling1D: { config: {}, input: seq1d },
  GlobalAveragePooling2D: { config: {}, input: image },
  GlobalMaxPooling1D: { config: {}, input: seq1d },
  GlobalMaxPooling2D: { config: {}, input: image },
  GRU: { config: { units: 2 }, input: seq1d },
  GRUCell: { config: { units: 2 }, input: null },
  Identity: { config: {}, input: flat },
  InputLayer: { config: { batch_shape: [null, 4], dtype: 'float32' }, input: null },
  LayerNormalization: { config: {}, input: seq1d },
  LeakyReLU: { config: { negative_slope: 0.2 }, input: flat },
  LSTM: { config: { units: 2 }, input: seq1d },
  LSTMCell: { config: { units: 2 }, input: null },
  Masking: { config: { mask_value: 0.0 }, input: seq1d },
  Maximum: { config: {}, input: pair },
  MaxPooling1D: { config: { pool_size: 2 }, input: [6, 3] },
  MaxPooling2D: { config: { pool_size: [2, 2] }, input: [4, 4, 2] },
  Minimum: { config: {}, input: pair },
  Multiply: { config: {}, input: pair },
  Permute: { config: { dims: [2, 1] }, input: seq1d },
  PReLU: { config: {}, input: flat },
  ReLU: { config: {}, input: flat },
  RepeatVector: { config: { n: 3 }, input: flat },
  Rescaling: { config: { scale: 0.5, offset: 0.0 }, input: flat },
  Reshape: { config: { target_shape: [2, 2] }, input: flat },
  RNN: { config: { cell: serialized('SimpleRNNCell', { units: 2 }) }, input: seq1d },
  SeparableConv2D: { config: { filters: 2, kernel_size: [3, 3] }, input: image },
  SimpleRNN: { config: { units: 2 }, input: seq1d },
  SimpleRNNCell: { config: { units: 2 }, input: null },
  Softmax: { config: { axis: -1 }, input: flat },
  SpatialDropout1D: { config: { rate: 0.1 }, input: seq1d },
  SpatialDropout2D: { config: { rate: 0.1 }, input: image },
  SpatialDropout3D: { config: { rate: 0.1 }, input: [2, 2, 2, 1] },
  StackedRNNCells: {
    config: { cells: [serialized('LSTMCell', { units: 2 }), serialized('GRUCell', { units: 3 })] },
    input: null,
  },
  Subtract: { config: {}, input: pair },
  TimeDistributed: { config: { layer: serialized('Dense', { units: 2 }) }, input: seq1d },
  UpSampling1D: { config: { size: 2 }, input: [4, 3] },
  UpSampling2D: { config: { size: [2, 2] }, input: [3, 3, 2] },
  UpSampling3D: { config: { size: [2, 2, 2] }, input: [2, 2, 2, 1] },
  ZeroPadding1D: { config: { padding: 1 }, input: [4, 3] },
  ZeroPadding2D: {
    config: {
      padding: [
        [1, 1],
        [1, 1],
      ],
    },
    input: [3, 3, 2],
  },
  ZeroPadding3D: {
    config: {
      padding: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    },
    input: [2, 2, 2, 1],
  },
  StringLookup: { config: { vocabulary: ['a', 'b'], output_mode: 'multi_hot' }, input: [3], inputDtype: 'string' },
  IntegerLookup: { config: { vocabulary: [3, 5], mask_token: 0 }, input: [3], inputDtype: 'int32' },
  TextVectorization: {
    config: { vocabulary: ['a', 'b'], output_sequence_length: 4, ngrams: [1, 2] },
    input: [1],
    inputDtype: 'string',
  },
  Normalization: { config: { axis: [-1], mean: [1, 2, 3, 4], variance: [1, 1, 2, 2] }, input: flat },
};

/** Model classes are registered too; they are checked with small models. */
const MODEL_CLASSES: Record<string, () => Model> = {
  Sequential: () => new Sequential([Input([3]), layerFromConfig('Dense', { units: 2 })]),
  Functional: () => {
    const x = Input([3]);
    return new Model({ inputs: x, outputs: layerFromConfig('Dense', { units: 2 }).apply(x) });
  },
};

const registered = registeredLayerNames().filter((name) => !name.includes('>'));

function roundTripConfig(layer: Layer): void {
  const saved = JSON.parse(JSON.stringify(layer.kerasConfig())) as Record<string, unknown>;
  const copy = layerFromConfig(layer.className, configToCamel(saved));
  expect(copy.constructor).toBe(layer.constructor);
  expect(copy.kerasConfig()).toEqual(layer.kerasConfig());
  copy.dispose();
}

function roundTripModel(model: Model): void {
  const json = modelToKerasJson(model);
  const copy = modelFromKerasJson(json);
  expect(modelToKerasJson(copy)).toBe(json);
  expect(copy.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
  copy.dispose();
}

describe('serialization of every registered layer class', () => {
  it('has a table entry for every registered class (add new layers to TABLE)', () => {
    const missing = registered.filter((name) => !(name in TABLE) && !(name in MODEL_CLASSES));
    expect(missing).toEqual([]);
  });

  it.each(registered.filter((name) => name in TABLE))(
    '%s: getConfig → fromConfig → getConfig, and Keras JSON round trip',
    (className) => {
      const entry = TABLE[className]!;
      const baseline = tf.memory().numTensors;
      const layer = layerFromConfig(className, configToCamel(entry.config));
      expect(layer.className).toBe(className);
      roundTripConfig(layer);
      if (entry.input !== null) {
        const shapes = (Array.isArray(entry.input[0]) ? entry.input : [entry.input]) as Dims[];
        const inputs = shapes.map((shape) => Input(shape, { dtype: entry.inputDtype }));
        const output = layer.apply(inputs.length === 1 ? inputs[0]! : (inputs as KerasTensor[]));
        const model = new Model({ inputs: inputs.length === 1 ? inputs[0]! : inputs, outputs: output });
        roundTripConfig(layer);
        roundTripModel(model);
        const sequential =
          inputs.length === 1 && !entry.inputDtype
            ? new Sequential([Input(shapes[0]!), layerFromConfig(className, configToCamel(entry.config))])
            : null;
        if (sequential) {
          roundTripModel(sequential);
          sequential.dispose();
        }
        model.dispose();
      } else {
        layer.dispose();
      }
      expect(tf.memory().numTensors).toBe(baseline);
    },
  );

  it.each(Object.keys(MODEL_CLASSES))('%s (model class): Keras JSON round trip', (className) => {
    expect(registered).toContain(className);
    const model = MODEL_CLASSES[className]!();
    roundTripModel(model);
    model.dispose();
  });
});
