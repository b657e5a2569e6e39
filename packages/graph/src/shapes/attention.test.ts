import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { multiHeadAttentionAxes } from './attention.js';
import { decodeModelConfig } from '../codecs/detect.js';
import { inferLayerOutputShapes } from './infer.js';
import { inferModelShapes } from './model.js';

const infer = (className: string, config: JsonObject, kwargs: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'att', ...config }, inputs, undefined, kwargs);

describe('attention layers', () => {
  it.each(['Attention', 'AdditiveAttention'])(
    '%s: (*query[:-1], value[-1]); scores (*query[:-1], Tv) when asked',
    (className) => {
      expect(infer(className, {}, {}, [null, 5, 8], [null, 7, 6], [null, 7, 8])).toEqual([[null, 5, 6]]);
      expect(infer(className, {}, { return_attention_scores: true }, [null, 5, 8], [null, 7, 8])).toEqual([
        [null, 5, 8],
        [null, 5, 7],
      ]);
      expect(() => infer(className, {}, {}, [null, 5, 8])).toThrow(
        `Layer "att" (${className}): expected [query, value] or [query, value, key] (2 or 3 inputs), got 1 ([null, 5, 8])`,
      );
      expect(() => infer(className, {}, {}, [null, 5, 8], [null, 7, 4])).toThrow(
        'query and key must have the same last dimension, got query [null, 5, 8] and key [null, 7, 4]',
      );
      expect(() => infer(className, {}, {}, [null, 5, 8], [null, 7, 8], [null, 6, 8])).toThrow(
        'value and key must have the same number of steps',
      );
    },
  );

  it('MultiHeadAttention: the query shape with output_shape; value and key agree except on the last axis', () => {
    const mha = { num_heads: 4, key_dim: 8 };
    expect(infer('MultiHeadAttention', mha, {}, [null, 6, 16], [null, 6, 16])).toEqual([[null, 6, 16]]);
    expect(
      infer('MultiHeadAttention', { ...mha, output_shape: [2, 3] }, {}, [null, 5, 6], [null, 7, 4], [null, 7, 3]),
    ).toEqual([[null, 5, 2, 3]]);
    expect(infer('MultiHeadAttention', { ...mha, output_shape: 9 }, {}, [2, 5, 6], [2, 7, 4])).toEqual([[2, 5, 9]]);
    expect(() => infer('MultiHeadAttention', mha, {}, [null, 5, 6], [null, 7, 4], [null, 6, 4])).toThrow(
      'Layer "att" (MultiHeadAttention): all dimensions of value and key except the last must be equal, got value [null, 7, 4] and key [null, 6, 4]',
    );
    expect(() => infer('MultiHeadAttention', {}, {}, [null, 5, 6], [null, 7, 4])).toThrow('invalid config "num_heads"');
  });

  it('MultiHeadAttention scores: (batch, <other axes>, heads, <query attention axes>, <key attention axes>)', () => {
    const mha = { num_heads: 3, key_dim: 2 };
    const scores = { return_attention_scores: true };
    expect(infer('MultiHeadAttention', mha, scores, [null, 5, 6], [null, 7, 4])[1]).toEqual([null, 3, 5, 7]);
    expect(infer('MultiHeadAttention', { ...mha, attention_axes: [2] }, scores, [2, 3, 4, 6], [2, 3, 4, 6])[1]).toEqual(
      [2, 3, 3, 4, 4],
    );
    expect(
      infer('MultiHeadAttention', { ...mha, attention_axes: [1, 2] }, scores, [2, 3, 4, 6], [2, 3, 4, 6])[1],
    ).toEqual([2, 3, 3, 4, 3, 4]);
    expect(() =>
      infer('MultiHeadAttention', { ...mha, attention_axes: [3] }, scores, [2, 3, 4, 6], [2, 3, 4, 6]),
    ).toThrow('attention_axes [3]');
  });

  it('multiHeadAttentionAxes resolves Keras attention_axes for the projected tensors', () => {
    expect(multiHeadAttentionAxes(3, null)).toEqual([1]);
    expect(multiHeadAttentionAxes(4, null)).toEqual([1, 2]);
    expect(multiHeadAttentionAxes(4, [-2])).toEqual([2]);
    expect(() => multiHeadAttentionAxes(3, [0])).toThrow('valid: 1 to 1, or -2 to -2');
  });

  it('a model whose MultiHeadAttention gets value (and key) by keyword: tf.keras 2 triples, Keras 3 tensors', () => {
    const mhaConfig = { name: 'mha', num_heads: 2, key_dim: 4 };
    const input = {
      class_name: 'InputLayer',
      name: 'in',
      inbound_nodes: [],
      config: { batch_input_shape: [null, 6, 16], name: 'in' },
    };
    const keras2: JsonObject = {
      class_name: 'Model',
      keras_version: '2.12.0',
      config: {
        name: 'm',
        layers: [
          input,
          {
            class_name: 'MultiHeadAttention',
            name: 'mha',
            config: mhaConfig,
            inbound_nodes: [[['in', 0, 0, { value: ['in', 0, 0] }]]],
          },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    };
    expect(inferModelShapes(decodeModelConfig(keras2).model).get('mha')).toEqual([[[null, 6, 16]]]);
    const tensor = {
      class_name: '__keras_tensor__',
      config: { shape: [null, 5, 3], dtype: 'float32', keras_history: ['q', 0, 0] },
    };
    const keras3: JsonObject = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            name: 'q',
            inbound_nodes: [],
            config: { batch_shape: [null, 5, 3], name: 'q' },
          },
          {
            module: 'keras.layers',
            class_name: 'MultiHeadAttention',
            name: 'mha',
            config: mhaConfig,
            inbound_nodes: [{ args: [], kwargs: { query: tensor, value: tensor, return_attention_scores: true } }],
          },
        ],
        input_layers: [['q', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    };
    expect(inferModelShapes(decodeModelConfig(keras3).model).get('mha')).toEqual([
      [
        [null, 5, 3],
        [null, 2, 5, 5],
      ],
    ]);
  });
});
