import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Conv3D } from './conv3d.js';

interface ConvCase {
  config: { filters: number; kernel_size: number[]; strides: number[]; padding: string; dilation_rate: number[]; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, ConvCase>>;

describe('Conv3D', () => {
  it.each(Object.entries(fixture['conv3d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new Conv3D(c.config.filters, {
      kernelSize: c.config.kernel_size,
      strides: c.config.strides,
      padding: c.config.padding,
      dataFormat: c.config.data_format,
    });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const weights = [tf.tensor(c.kernel), tf.tensor(c.bias)];
    layer.setWeights(weights);
    const y = layer.apply(x);
    const expected = tf.tensor(c.output);
    expect(y.shape).toEqual(expected.shape);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0])).toBeLessThan(1e-5);
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...y.shape.slice(1)]);
    tf.dispose([x, y, expected, ...weights]);
    layer.dispose();
  });

  it('has Keras defaults, counts parameters and round-trips', () => {
    const layer = new Conv3D(8, { kernelSize: 3 });
    expect(layer.apply(Input([6, 6, 6, 2])).shape).toEqual([null, 4, 4, 4, 8]);
    expect(layer.countParams()).toBe(27 * 2 * 8 + 8);
    expect(layer.kerasConfig()).toMatchObject({ kernel_size: [3, 3, 3], strides: [1, 1, 1], dilation_rate: [1, 1, 1], padding: 'valid' });
    expect(Conv3D.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new Conv3D(8, { kernelSize: [3, 3] })).toThrow(/list of 3 integers/);
  });
});
