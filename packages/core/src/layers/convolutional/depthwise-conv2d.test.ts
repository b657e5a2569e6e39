import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { itMatchesDepthwiseConvReference } from './conv-reference.test-suite.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';

describe('DepthwiseConv2D', () => {
  itMatchesDepthwiseConvReference(DepthwiseConv2D, 'depthwise_conv2d');

  it('takes kernelSize as its first argument and names its weight "kernel" (Keras 3)', () => {
    const layer = new DepthwiseConv2D(3, { depthMultiplier: 2 });
    expect(layer.apply(Input([8, 8, 4])).shape).toEqual([null, 6, 6, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 3, 4, 2]],
      ['bias', [8]],
    ]);
    expect(layer.countParams()).toBe(3 * 3 * 4 * 2 + 8);
  });

  it('has Keras 3 config keys and defaults, and round-trips', () => {
    const layer = new DepthwiseConv2D([3, 3]);
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'depth_multiplier',
      'kernel_size',
      'strides',
      'padding',
      'data_format',
      'dilation_rate',
      'activation',
      'use_bias',
      'depthwise_initializer',
      'bias_initializer',
      'depthwise_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'depthwise_constraint',
      'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      depth_multiplier: 1,
      strides: [1, 1],
      padding: 'valid',
      use_bias: true,
    });
    const custom = new DepthwiseConv2D(5, {
      depthMultiplier: 3,
      padding: 'same',
      depthwiseRegularizer: 'l2',
      depthwiseInitializer: 'ones',
    });
    expect(DepthwiseConv2D.fromConfig(custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad arguments', () => {
    expect(() => new DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(
      /DepthwiseConv2D .*`depthMultiplier` must be a positive integer, got 0/,
    );
    expect(() => new DepthwiseConv2D([3, 3, 3])).toThrow(/list of 2 integers/);
    expect(() => new DepthwiseConv2D(3, { padding: 'causal' })).toThrow(/valid choices: "valid", "same"/);
  });
});
