import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Conv2DTranspose } from './conv2d-transpose.js';

interface TransposeCase {
  config: { filters: number; kernel_size: number[]; strides: number[]; padding: string; output_padding: number[] | null; dilation_rate: number[]; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, TransposeCase>>;

describe('Conv2DTranspose', () => {
  it.each(Object.entries(fixture['conv2d_transpose']!))('matches the PyTorch reference (TF output size and padding) to 1e-5: %s', (_, c) => {
    const layer = new Conv2DTranspose(c.config.filters, {
      kernelSize: c.config.kernel_size,
      strides: c.config.strides,
      padding: c.config.padding,
      outputPadding: c.config.output_padding,
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

  it('has Keras 3 config keys and defaults, and round-trips', () => {
    const layer = new Conv2DTranspose(16, { kernelSize: 3 });
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate',
      'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer',
      'activity_regularizer', 'kernel_constraint', 'bias_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ strides: [1, 1], padding: 'valid', output_padding: null, dilation_rate: [1, 1] });
    const custom = new Conv2DTranspose(3, { kernelSize: [3, 2], strides: 2, outputPadding: 1, padding: 'same', activation: 'sigmoid' });
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
    expect(() => new Conv2DTranspose(2, { kernelSize: 3, padding: 'causal' })).toThrow(/valid choices: "valid", "same"/);
    expect(() => new Conv2DTranspose(0, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
  });
});
