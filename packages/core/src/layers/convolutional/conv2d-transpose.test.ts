import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { itMatchesConvTransposeReference } from './conv-reference.test-suite.js';
import { Conv2DTranspose } from './conv2d-transpose.js';

describe('Conv2DTranspose', () => {
  itMatchesConvTransposeReference(Conv2DTranspose, 'conv2d_transpose');

  it('has Keras 3 config keys and defaults, and round-trips', () => {
    const layer = new Conv2DTranspose(16, { kernelSize: 3 });
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'output_padding',
      'data_format',
      'dilation_rate',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      strides: [1, 1],
      padding: 'valid',
      output_padding: null,
      dilation_rate: [1, 1],
    });
    const custom = new Conv2DTranspose(3, {
      kernelSize: [3, 2],
      strides: 2,
      outputPadding: 1,
      padding: 'same',
      activation: 'sigmoid',
    });
    expect(custom.getConfig()['outputPadding']).toEqual([1, 1]);
    expect(Conv2DTranspose.fromConfig(custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('creates the kernel as [kh, kw, filters, inChannels] and counts parameters as Keras', () => {
    const layer = new Conv2DTranspose(16, { kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.apply(Input([7, 7, 32])).shape).toEqual([null, 14, 14, 16]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 3, 16, 32], [16]]);
    expect(layer.countParams()).toBe(3 * 3 * 16 * 32 + 16);
  });

  it('rejects bad arguments', () => {
    expect(() => new Conv2DTranspose(2, { kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(
      /`outputPadding` must be strictly less than `strides`.*\[2,2\].*\[2,2\]/,
    );
    expect(() => new Conv2DTranspose(2, { kernelSize: 3, outputPadding: -1 })).toThrow(/values must be >= 0/);
    expect(() => new Conv2DTranspose(2, { kernelSize: 3, padding: 'causal' })).toThrow(
      /valid choices: "valid", "same"/,
    );
    expect(() => new Conv2DTranspose(0, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
  });
});
