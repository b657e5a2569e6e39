import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { DepthwiseConv1D } from './depthwise-conv1d.js';

interface DepthwiseCase {
  config: { kernel_size: number[]; depth_multiplier: number; strides: number[]; padding: string; dilation_rate: number[]; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, DepthwiseCase>>;

describe('DepthwiseConv1D', () => {
  it.each(Object.entries(fixture['depthwise_conv1d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new DepthwiseConv1D(c.config.kernel_size, {
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

  it('takes kernelSize first, has Keras 3 weights and config, and round-trips', () => {
    const layer = new DepthwiseConv1D(3, { depthMultiplier: 2 });
    expect(layer.apply(Input([10, 4])).shape).toEqual([null, 8, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [3, 4, 2]], ['bias', [8]]]);
    expect(layer.kerasConfig()).toMatchObject({ kernel_size: [3], depth_multiplier: 2, strides: [1], padding: 'valid' });
    expect(layerFromConfig('DepthwiseConv1D', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new DepthwiseConv1D(3, { padding: 'causal' })).toThrow(/valid choices: "valid", "same"/);
  });
});
