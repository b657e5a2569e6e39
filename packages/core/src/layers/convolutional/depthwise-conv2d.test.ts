import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';

interface DepthwiseCase {
  config: { kernel_size: number[]; depth_multiplier: number; strides: number[]; padding: string; dilation_rate: number[]; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, DepthwiseCase>>;

describe('DepthwiseConv2D', () => {
  it.each(Object.entries(fixture['depthwise_conv2d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new DepthwiseConv2D(c.config.kernel_size, {
      depthMultiplier: c.config.depth_multiplier,
      strides: c.config.strides,
      padding: c.config.padding,
      dilationRate: c.config.dilation_rate,
      dataFormat: c.config.data_format,
    });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const weights = [tf.tensor(c.kernel), tf.tensor(c.bias)];
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

  it('takes kernelSize as its first argument and names its weight "kernel" (Keras 3)', () => {
    const layer = new DepthwiseConv2D(3, { depthMultiplier: 2 });
    expect(layer.apply(Input([8, 8, 4])).shape).toEqual([null, 6, 6, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [3, 3, 4, 2]], ['bias', [8]]]);
    expect(layer.countParams()).toBe(3 * 3 * 4 * 2 + 8);
  });

  it('has Keras 3 config keys and defaults, and round-trips', () => {
    const layer = new DepthwiseConv2D([3, 3]);
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name', 'trainable', 'dtype', 'depth_multiplier', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate',
      'activation', 'use_bias', 'depthwise_initializer', 'bias_initializer', 'depthwise_regularizer', 'bias_regularizer',
      'activity_regularizer', 'depthwise_constraint', 'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ depth_multiplier: 1, strides: [1, 1], padding: 'valid', use_bias: true });
    const custom = new DepthwiseConv2D(5, { depthMultiplier: 3, padding: 'same', depthwiseRegularizer: 'l2', depthwiseInitializer: 'ones' });
    expect(DepthwiseConv2D.fromConfig(custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad arguments', () => {
    expect(() => new DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(/DepthwiseConv2D .*`depthMultiplier` must be a positive integer, got 0/);
    expect(() => new DepthwiseConv2D([3, 3, 3])).toThrow(/list of 2 integers/);
    expect(() => new DepthwiseConv2D(3, { padding: 'causal' })).toThrow(/valid choices: "valid", "same"/);
  });
});
