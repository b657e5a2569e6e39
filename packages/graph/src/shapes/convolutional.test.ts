import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { convOutputLength, convTransposeOutputLength } from './convolutional.js';
import { ShapeError } from './errors.js';
import { inferLayerOutputShapes } from './infer.js';
import { poolOutputLength } from './pooling.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'l', ...config }, inputs);

describe('convolution output lengths (Keras 3 operation_utils / backend_utils)', () => {
  it("'valid' is floor((in - dilation*(k-1) - 1) / stride) + 1; 'same' and 'causal' are ceil(in / stride)", () => {
    expect(convOutputLength(28, 3, 1, 'valid', 1)).toBe(26);
    expect(convOutputLength(28, 3, 2, 'valid', 1)).toBe(13);
    expect(convOutputLength(10, 3, 1, 'valid', 2)).toBe(6);
    expect(convOutputLength(28, 3, 3, 'same', 1)).toBe(10);
    expect(convOutputLength(7, 5, 2, 'causal', 1)).toBe(4);
    expect(convOutputLength(null, 3, 1, 'valid', 1)).toBeNull();
  });

  it('transposed: valid = (in-1)*s + k + (op ?? max(k,s)-k); same = in*s, or (in-1)*s + k%2 + op', () => {
    expect(convTransposeOutputLength(7, 3, 2, 'valid', null, 1)).toBe(15);
    expect(convTransposeOutputLength(7, 2, 3, 'valid', null, 1)).toBe(21);
    expect(convTransposeOutputLength(7, 3, 2, 'same', null, 1)).toBe(14);
    expect(convTransposeOutputLength(7, 3, 2, 'valid', 1, 1)).toBe(16);
    expect(convTransposeOutputLength(7, 3, 2, 'same', 1, 1)).toBe(14);
    expect(convTransposeOutputLength(7, 4, 2, 'same', 1, 1)).toBe(13);
    expect(convTransposeOutputLength(5, 3, 1, 'valid', null, 2)).toBe(9);
  });

  it("pooling: 'valid' floor((in - pool) / stride) + 1, 'same' floor((in - 1) / stride) + 1", () => {
    expect(poolOutputLength(5, 2, 2, 'valid')).toBe(2);
    expect(poolOutputLength(5, 2, 2, 'same')).toBe(3);
    expect(poolOutputLength(26, 2, 2, 'valid')).toBe(13);
  });
});

describe('convolution layers', () => {
  it('Conv1D/2D/3D with strides, dilation, padding and data_format', () => {
    expect(infer('Conv1D', { filters: 8, kernel_size: 3, padding: 'causal' }, [null, 10, 4])).toEqual([[null, 10, 8]]);
    expect(infer('Conv2D', { filters: 32, kernel_size: [3, 3], strides: [2, 2] }, [null, 28, 28, 1])).toEqual([
      [null, 13, 13, 32],
    ]);
    expect(infer('Conv2D', { filters: 4, kernel_size: 3, padding: 'same', strides: 3 }, [null, 28, null, 1])).toEqual([
      [null, 10, null, 4],
    ]);
    expect(infer('Conv2D', { filters: 4, kernel_size: 3, dilation_rate: 2 }, [null, 10, 10, 3])).toEqual([
      [null, 6, 6, 4],
    ]);
    expect(infer('Conv2D', { filters: 6, kernel_size: 3, data_format: 'channels_first' }, [8, 3, 10, 12])).toEqual([
      [8, 6, 8, 10],
    ]);
    expect(infer('Conv3D', { filters: 2, kernel_size: [3, 3, 3] }, [null, 5, 6, 7, 1])).toEqual([[null, 3, 4, 5, 2]]);
  });

  it('Conv2DTranspose with and without output_padding', () => {
    expect(infer('Conv2DTranspose', { filters: 3, kernel_size: 3, strides: 2 }, [null, 7, 7, 8])).toEqual([
      [null, 15, 15, 3],
    ]);
    expect(
      infer('Conv2DTranspose', { filters: 3, kernel_size: 3, strides: 2, padding: 'same' }, [null, 7, 7, 8]),
    ).toEqual([[null, 14, 14, 3]]);
    expect(
      infer('Conv2DTranspose', { filters: 3, kernel_size: 3, strides: 2, output_padding: [1, 0] }, [null, 7, 7, 8]),
    ).toEqual([[null, 16, 15, 3]]);
    expect(() =>
      infer('Conv2DTranspose', { filters: 3, kernel_size: 3, strides: 2, output_padding: 2 }, [null, 7, 7, 8]),
    ).toThrow('Layer "l" (Conv2DTranspose): output_padding [2,2] must be strictly less than strides [2,2]');
  });

  it('SeparableConv2D uses filters, DepthwiseConv2D multiplies channels by depth_multiplier', () => {
    expect(infer('SeparableConv2D', { filters: 16, kernel_size: 3, depth_multiplier: 2 }, [null, 9, 9, 3])).toEqual([
      [null, 7, 7, 16],
    ]);
    expect(infer('DepthwiseConv2D', { kernel_size: 3, depth_multiplier: 4, padding: 'same' }, [null, 9, 9, 3])).toEqual(
      [[null, 9, 9, 12]],
    );
  });

  it('reports rank, size, channel and config errors with the layer, expected and actual', () => {
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 3 }, [null, 28, 28])).toThrow(
      'Layer "l" (Conv2D): expected input of rank 4 (batch, rows, cols, channels), got shape [null, 28, 28]',
    );
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 5 }, [null, 3, 3, 1])).toThrow(ShapeError);
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 5 }, [null, 3, 3, 1])).toThrow(
      /computed output size would be zero or negative: input shape \[null, 3, 3, 1\]/,
    );
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 3 }, [null, 8, 8, null])).toThrow(
      'expected input with a known channels dimension, got shape [null, 8, 8, null]',
    );
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 3, padding: 'causal' }, [null, 8, 8, 1])).toThrow(
      'Layer "l" (Conv2D): invalid config "padding": expected one of "valid", "same", got "causal"',
    );
    expect(() =>
      infer('Conv2D', { filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2 }, [null, 8, 8, 1]),
    ).toThrow(/strides > 1 is not supported together with dilation_rate > 1/);
    expect(() => infer('Conv2D', { filters: 4, kernel_size: 3, groups: 2 }, [null, 8, 8, 3])).toThrow(
      'expected input channels (3) and filters (4) divisible by groups (2)',
    );
  });
});

describe('pooling layers', () => {
  it('strides default to pool_size; same and valid padding; channels_first', () => {
    expect(infer('MaxPooling2D', { pool_size: [2, 2], strides: null }, [null, 26, 26, 32])).toEqual([
      [null, 13, 13, 32],
    ]);
    expect(infer('AveragePooling2D', { pool_size: 2, padding: 'same' }, [null, 5, 5, 3])).toEqual([[null, 3, 3, 3]]);
    expect(infer('MaxPooling1D', { pool_size: 3, strides: 1 }, [null, 10, 4])).toEqual([[null, 8, 4]]);
    expect(infer('AveragePooling1D', { pool_size: [2], strides: [2], padding: 'same' }, [null, 9, 4])).toEqual([
      [null, 5, 4],
    ]);
    expect(infer('MaxPooling3D', { pool_size: 2, data_format: 'channels_first' }, [null, 3, 4, 4, 4])).toEqual([
      [null, 3, 2, 2, 2],
    ]);
    expect(infer('AveragePooling3D', { pool_size: [1, 2, 2] }, [null, 4, 4, 4, 1])).toEqual([[null, 4, 2, 2, 1]]);
    expect(() => infer('MaxPooling2D', { pool_size: 3 }, [null, 2, 2, 1])).toThrow(
      /Layer "l" \(MaxPooling2D\): computed output size would be zero or negative/,
    );
  });

  it('global pooling drops the spatial axes, or keeps them as 1 with keepdims', () => {
    expect(infer('GlobalAveragePooling2D', {}, [null, 7, 7, 64])).toEqual([[null, 64]]);
    expect(infer('GlobalMaxPooling2D', { keepdims: true }, [null, 7, 7, 64])).toEqual([[null, 1, 1, 64]]);
    expect(infer('GlobalAveragePooling1D', { data_format: 'channels_first' }, [null, 16, 30])).toEqual([[null, 16]]);
    expect(infer('GlobalMaxPooling1D', { keepdims: true }, [null, 30, 16])).toEqual([[null, 1, 16]]);
    expect(
      infer('GlobalAveragePooling3D', { keepdims: true, data_format: 'channels_first' }, [null, 2, 3, 4, 5]),
    ).toEqual([[null, 2, 1, 1, 1]]);
    expect(infer('GlobalMaxPooling3D', {}, [null, 3, 4, 5, 2])).toEqual([[null, 2]]);
    expect(() => infer('GlobalAveragePooling2D', {}, [null, 64])).toThrow(
      'expected input of rank 4 (batch, rows, cols, channels), got shape [null, 64]',
    );
  });
});
