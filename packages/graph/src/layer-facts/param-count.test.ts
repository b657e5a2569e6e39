import { describe, expect, it } from 'vitest';
import type { JsonObject, LayerIR } from '../ir.js';
import { countLayerParams } from './param-count.js';

const layer = (className: string, config: JsonObject, module?: string): LayerIR => ({
  className,
  name: 'l',
  config: { name: 'l', ...config },
  nodes: [],
  ...(module ? { module } : {}),
});
const total = (l: LayerIR, shape: (number | null)[]): number | undefined => {
  const count = countLayerParams(l, shape);
  return count && count.trainable + count.nonTrainable;
};

describe('countLayerParams (the variables each Keras layer builds)', () => {
  it('Dense, Conv, separable and depthwise convolutions', () => {
    expect(total(layer('Dense', { units: 3 }), [null, 8])).toBe(27);
    expect(total(layer('Dense', { units: 3, use_bias: false }), [null, 8])).toBe(24);
    expect(total(layer('Conv2D', { filters: 32, kernel_size: [3, 3] }), [null, 28, 28, 1])).toBe(320);
    expect(
      total(layer('Conv2D', { filters: 32, kernel_size: [3, 3], data_format: 'channels_first' }), [null, 1, 28, 28]),
    ).toBe(320);
    expect(total(layer('Conv2D', { filters: 8, kernel_size: [3, 3], groups: 2 }), [null, 9, 9, 4])).toBe(9 * 2 * 8 + 8);
    expect(total(layer('SeparableConv2D', { filters: 16, kernel_size: 3, depth_multiplier: 1 }), [null, 9, 9, 8])).toBe(
      72 + 128 + 16,
    );
    expect(total(layer('DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 2 }), [null, 9, 9, 8])).toBe(
      144 + 16,
    );
  });

  it('splits BatchNormalization into trainable gamma/beta and non-trainable moving statistics', () => {
    expect(countLayerParams(layer('BatchNormalization', { axis: -1 }), [null, 7, 7, 32])).toEqual({
      trainable: 64,
      nonTrainable: 64,
    });
    expect(countLayerParams(layer('Dense', { units: 2, trainable: false }), [null, 2])).toEqual({
      trainable: 0,
      nonTrainable: 6,
    });
  });

  it('preprocessing layers: lookups own no variables; adapted Normalization has non-trainable mean, variance and count', () => {
    for (const cls of ['StringLookup', 'IntegerLookup', 'TextVectorization'])
      expect(countLayerParams(layer(cls, {}), [null, 1])).toEqual({ trainable: 0, nonTrainable: 0 });
    // Keras 3.15.1: Normalization() adapted on (n, 3) data counts 7 parameters, all non-trainable.
    expect(countLayerParams(layer('Normalization', { axis: [-1], mean: null, variance: null }), [null, 3])).toEqual({
      trainable: 0,
      nonTrainable: 7,
    });
    expect(
      countLayerParams(layer('Normalization', { axis: [1, 2], mean: null, variance: null }), [null, 4, 2]),
    ).toEqual({ trainable: 0, nonTrainable: 17 });
    expect(countLayerParams(layer('Normalization', { axis: [-1], mean: [1, 2], variance: [1, 1] }), [null, 2])).toEqual(
      { trainable: 0, nonTrainable: 0 },
    );
  });

  it('recurrent layers: LSTM 4 gates, GRU 3 gates with two bias rows when reset_after (Keras 3 default)', () => {
    expect(total(layer('LSTM', { units: 50 }), [null, 25, 1])).toBe(10_400);
    expect(total(layer('GRU', { units: 4 }, 'keras.layers'), [null, 10, 20])).toBe(312);
    expect(total(layer('GRU', { units: 4 }), [null, 10, 20])).toBe(300);
    expect(total(layer('Bidirectional', { layer: { class_name: 'LSTM', config: { units: 8 } } }), [null, 5, 4])).toBe(
      832,
    );
    expect(total(layer('Embedding', { input_dim: 100, output_dim: 20 }), [null, 10])).toBe(2000);
  });

  it('attention layers: Attention scalars, AdditiveAttention (dim,) scale, MultiHeadAttention projections from all its inputs', () => {
    expect(total(layer('Attention', {}), [null, 5, 8])).toBe(0);
    expect(total(layer('Attention', { use_scale: true, score_mode: 'concat' }), [null, 5, 8])).toBe(2);
    expect(total(layer('AdditiveAttention', {}), [null, 5, 8])).toBe(8);
    expect(total(layer('AdditiveAttention', { use_scale: false }), [null, 5, 8])).toBe(0);
    // keras3-golden transformer_block: 4 heads of 8 over 16 features: 3 × (16·32 + 32) + (32·16 + 16).
    const mha = layer('MultiHeadAttention', { num_heads: 4, key_dim: 8, value_dim: 8 });
    expect(
      countLayerParams(
        mha,
        [null, 6, 16],
        [
          [null, 6, 16],
          [null, 6, 16],
        ],
      ),
    ).toEqual({ trainable: 2160, nonTrainable: 0 });
    // Query 6, value 4, key 3; value_dim 5, output_shape 4, no biases: 6·6 + 3·6 + 4·15 + 15·4.
    const cross = layer('MultiHeadAttention', {
      num_heads: 3,
      key_dim: 2,
      value_dim: 5,
      output_shape: 4,
      use_bias: false,
    });
    expect(
      countLayerParams(
        cross,
        [null, 5, 6],
        [
          [null, 5, 6],
          [null, 7, 4],
          [null, 7, 3],
        ],
      )?.trainable,
    ).toBe(36 + 18 + 60 + 60);
    // Unknown value shape: build_config.shapes_dict (as Keras writes it) fills in.
    const recorded = {
      ...mha,
      buildConfig: { shapes_dict: { query_shape: [null, 6, 16], value_shape: [null, 6, 16] } },
    };
    expect(countLayerParams(recorded, [null, 6, 16])?.trainable).toBe(2160);
    expect(countLayerParams(mha, [null, 6, 16])).toBeUndefined();
  });

  it('knows parameter-free layers and admits what it does not know', () => {
    expect(total(layer('Dropout', { rate: 0.5 }), [null, 3])).toBe(0);
    expect(countLayerParams(layer('MyCustomLayer', {}), [null, 3])).toBeUndefined();
    expect(countLayerParams(layer('Dense', { units: 3 }), [null, null])).toBeUndefined();
  });
});

describe('countLayerParams: wrappers, attention and operations', () => {
  it('TimeDistributed counts its wrapped layer on one timestep', () => {
    expect(
      total(layer('TimeDistributed', { layer: { class_name: 'Dense', config: { units: 2 } } }), [null, 3, 6]),
    ).toBe(14);
    expect(
      total(layer('TimeDistributed', { layer: { class_name: 'Conv2D', config: { filters: 4, kernel_size: 3 } } }), [
        null,
        5,
        8,
        8,
        2,
      ]),
    ).toBe(76);
  });

  it('LayerNormalization over several axes, attention layers, and keras.ops nodes', () => {
    expect(total(layer('LayerNormalization', { axis: [1, 2] }), [null, 6, 10])).toBe(120);
    expect(total(layer('Attention', { use_scale: true, score_mode: 'concat' }), [null, 5, 8])).toBe(2);
    expect(total(layer('AdditiveAttention', { use_scale: true }), [null, 5, 8])).toBe(8);
    const mha = layer('MultiHeadAttention', {
      num_heads: 4,
      key_dim: 8,
      value_dim: 8,
      use_bias: true,
      output_shape: null,
    });
    expect(
      countLayerParams(
        mha,
        [null, 6, 16],
        [
          [null, 6, 16],
          [null, 6, 16],
        ],
      ),
    ).toEqual({ trainable: 2160, nonTrainable: 0 });
    expect(total(layer('NotEqual', {}, 'keras.src.ops.numpy'), [null, 5])).toBe(0);
    // Legacy .h5 files written by Keras 3 drop `module`: an op class whose config has no `trainable`.
    expect(total(layer('NotEqual', {}), [null, 5])).toBe(0);
    expect(countLayerParams(layer('Frobnicate', {}), [null, 5])).toBeUndefined();
    expect(total(layer('ConvertToTensor', { dtype: null, sparse: null, ragged: null }), [null, 5])).toBe(0);
  });
});

describe('countLayerParams follows the facts table', () => {
  it('aliases count as their class; classes the table marks parameter-free count 0', () => {
    expect(total(layer('Convolution2D', { filters: 32, kernel_size: [3, 3] }), [null, 28, 28, 1])).toBe(320);
    expect(total(layer('Deconvolution2D', { filters: 4, kernel_size: 3, groups: 2 }), [null, 8, 8, 2])).toBe(
      9 * 2 * 4 + 4,
    );
    expect(total(layer('MaxPool2D', { pool_size: 2 }), [null, 8, 8, 2])).toBe(0);
    expect(total(layer('DropBlock2D', { rate: 0.1, block_size: 3 }), [null, 8, 8, 2])).toBe(0);
    expect(total(layer('WeightDropLSTM', { units: 50 }), [null, 25, 1])).toBe(10_400);
    // Facts say "not modelled": unknown, not a guess.
    expect(countLayerParams(layer('GroupNormalization', { groups: 2 }), [null, 8])).toBeUndefined();
    expect(countLayerParams(layer('Sequential', {}), [null, 8])).toBeUndefined();
  });
});
