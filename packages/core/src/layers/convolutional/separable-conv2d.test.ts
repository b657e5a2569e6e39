import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { itMatchesSeparableConvReference } from './conv-reference.test-suite.js';
import { SeparableConv2D } from './separable-conv2d.js';

describe('SeparableConv2D', () => {
  itMatchesSeparableConvReference(SeparableConv2D, 'separable_conv2d');

  it('creates depthwise_kernel, pointwise_kernel, bias as Keras and counts parameters', () => {
    const layer = new SeparableConv2D(64, { kernelSize: 3, depthMultiplier: 2, padding: 'same' });
    expect(layer.apply(Input([16, 16, 32])).shape).toEqual([null, 16, 16, 64]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['depthwise_kernel', [3, 3, 32, 2]],
      ['pointwise_kernel', [1, 1, 64, 64]],
      ['bias', [64]],
    ]);
    expect(layer.countParams()).toBe(3 * 3 * 32 * 2 + 64 * 64 + 64);
  });

  it('has Keras 3 config keys and defaults, and round-trips', () => {
    const layer = new SeparableConv2D(8, { kernelSize: 3 });
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'depth_multiplier',
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'data_format',
      'dilation_rate',
      'activation',
      'use_bias',
      'depthwise_initializer',
      'pointwise_initializer',
      'bias_initializer',
      'depthwise_regularizer',
      'pointwise_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'depthwise_constraint',
      'pointwise_constraint',
      'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      depth_multiplier: 1,
      filters: 8,
      kernel_size: [3, 3],
      padding: 'valid',
    });
    const custom = new SeparableConv2D(4, {
      kernelSize: [3, 1],
      depthMultiplier: 2,
      useBias: false,
      pointwiseConstraint: 'unit_norm',
    });
    expect(SeparableConv2D.fromConfig(custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad arguments', () => {
    expect(() => new SeparableConv2D(0, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
    expect(() => new SeparableConv2D(2, { kernelSize: 3, depthMultiplier: 1.5 })).toThrow(
      /`depthMultiplier` must be a positive integer/,
    );
    expect(() => new SeparableConv2D(2, { kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides > 1/);
  });
});
