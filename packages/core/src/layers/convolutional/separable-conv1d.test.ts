import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { SeparableConv1D } from './separable-conv1d.js';

interface SeparableCase {
  config: { filters: number; kernel_size: number[]; depth_multiplier: number; strides: number[]; padding: string; dilation_rate: number[]; data_format: string };
  input: number[];
  depthwise_kernel: number[];
  pointwise_kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, SeparableCase>>;

describe('SeparableConv1D', () => {
  it.each(Object.entries(fixture['separable_conv1d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new SeparableConv1D(c.config.filters, {
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

  it('has Keras 3 weights and config, and round-trips', () => {
    const layer = new SeparableConv1D(6, { kernelSize: 3, depthMultiplier: 2, padding: 'same' });
    expect(layer.apply(Input([10, 4])).shape).toEqual([null, 10, 6]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['depthwise_kernel', [3, 4, 2]], ['pointwise_kernel', [1, 8, 6]], ['bias', [6]]]);
    expect(layer.countParams()).toBe(3 * 4 * 2 + 8 * 6 + 6);
    expect(layer.kerasConfig()).toMatchObject({ filters: 6, kernel_size: [3], depth_multiplier: 2, strides: [1], padding: 'same' });
    expect(layerFromConfig('SeparableConv1D', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });
});
