import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { SeparableConv2D } from './separable-conv2d.js';

interface SeparableCase {
  config: { filters: number; kernel_size: number[]; depth_multiplier: number; strides: number[]; padding: string; dilation_rate: number[]; data_format: string };
  input: number[];
  depthwise_kernel: number[];
  pointwise_kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, SeparableCase>>;

describe('SeparableConv2D', () => {
  it.each(Object.entries(fixture['separable_conv2d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new SeparableConv2D(c.config.filters, {
      kernelSize: c.config.kernel_size,
      depthMultiplier: c.config.depth_multiplier,
      strides: c.config.strides,
      padding: c.config.padding,
      dilationRate: c.config.dilation_rate,
      dataFormat: c.config.data_format,
    });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const weights = [tf.tensor(c.depthwise_kernel), tf.tensor(c.pointwise_kernel), tf.tensor(c.bias)];
    layer.setWeights(weights);
    const before = tf.memory().numTensors;
    const y = layer.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.tensor(c.output);
    expect(y.shape).toEqual(expected.shape);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0])).toBeLessThan(1e-5);
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...y.shape.slice(1)]);
    tf.dispose([x, y, expected, ...weights]);
    layer.dispose();
  });

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
      'name', 'trainable', 'dtype', 'depth_multiplier', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate',
      'activation', 'use_bias', 'depthwise_initializer', 'pointwise_initializer', 'bias_initializer', 'depthwise_regularizer',
      'pointwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'pointwise_constraint', 'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ depth_multiplier: 1, filters: 8, kernel_size: [3, 3], padding: 'valid' });
    const custom = new SeparableConv2D(4, { kernelSize: [3, 1], depthMultiplier: 2, useBias: false, pointwiseConstraint: 'unit_norm' });
    expect(SeparableConv2D.fromConfig(custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad arguments', () => {
    expect(() => new SeparableConv2D(0, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
    expect(() => new SeparableConv2D(2, { kernelSize: 3, depthMultiplier: 1.5 })).toThrow(/`depthMultiplier` must be a positive integer/);
    expect(() => new SeparableConv2D(2, { kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides > 1/);
  });
});
