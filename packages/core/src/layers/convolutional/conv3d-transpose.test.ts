import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { Conv3DTranspose } from './conv3d-transpose.js';

interface TransposeCase {
  config: { filters: number; kernel_size: number[]; strides: number[]; padding: string; output_padding: number[] | null; dilation_rate: number[]; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, TransposeCase>>;

describe('Conv3DTranspose', () => {
  it.each(Object.entries(fixture['conv3d_transpose']!))('matches the PyTorch reference (TF output size and padding) to 1e-5: %s', (_, c) => {
    const layer = new Conv3DTranspose(c.config.filters, {
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

  it('has Keras 3 config keys, weights and defaults, and round-trips', () => {
    const layer = new Conv3DTranspose(8, { kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.apply(Input([4, 5, 6, 2])).shape).toEqual([null, 8, 10, 12, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [3, 3, 3, 8, 2]], ['bias', [8]]]);
    expect(layer.kerasConfig()).toMatchObject({ filters: 8, kernel_size: [3, 3, 3], strides: [2, 2, 2], padding: 'same', output_padding: null, dilation_rate: [1, 1, 1] });
    expect(layerFromConfig('Conv3DTranspose', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new Conv3DTranspose(2, { kernelSize: 3, strides: 2, outputPadding: [1, 2, 1] })).toThrow(/`outputPadding` must be strictly less than `strides`/);
    expect(() => new Conv3DTranspose(2, { kernelSize: [3, 3] })).toThrow(/list of 3 integers/);
  });
});
