import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Conv1D } from './conv1d.js';

interface ConvCase {
  config: { filters: number; kernel_size: number[]; strides: number[]; padding: string; dilation_rate: number[]; groups: number; data_format: string };
  input: number[];
  kernel: number[];
  bias: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, ConvCase>>;

function maxAbsDiff(actual: tf.Tensor, expected: number[]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tf.tensor(expected)))).dataSync()[0]!);
}

describe('Conv1D', () => {
  it.each(Object.entries(fixture['conv1d']!))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new Conv1D(c.config.filters, {
      kernelSize: c.config.kernel_size,
      strides: c.config.strides,
      padding: c.config.padding,
      dilationRate: c.config.dilation_rate,
      groups: c.config.groups,
      dataFormat: c.config.data_format,
    });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const weights = [tf.tensor(c.kernel), tf.tensor(c.bias)];
    layer.setWeights(weights);
    const before = tf.memory().numTensors;
    const y = layer.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual(tf.tensor(c.output).shape);
    expect(maxAbsDiff(y, c.output)).toBeLessThan(1e-5);
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...y.shape.slice(1)]);
    tf.dispose([x, y, ...weights]);
    layer.dispose();
  });

  it('causal padding never looks ahead: changing input[t] leaves outputs before t unchanged', () => {
    const layer = new Conv1D(2, { kernelSize: 3, padding: 'causal', dilationRate: 2 });
    const x = tf.randomNormal([1, 10, 2]);
    const changed = tf.tidy(() => tf.concat([tf.slice(x, [0, 0, 0], [1, 6, 2]), tf.fill([1, 4, 2], 7)], 1));
    const a = layer.apply(x).arraySync() as number[][][];
    const b = layer.apply(changed).arraySync() as number[][][];
    expect(b[0]!.slice(0, 6)).toEqual(a[0]!.slice(0, 6));
    expect(b[0]![6]).not.toEqual(a[0]![6]);
    tf.dispose([x, changed]);
    layer.dispose();
  });

  it('has Keras 3 defaults and config keys, and round-trips', () => {
    const layer = new Conv1D(32, { kernelSize: 3, activation: 'relu' });
    const config = layer.kerasConfig();
    expect(config).toMatchObject({ filters: 32, kernel_size: [3], strides: [1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1], groups: 1, activation: 'relu', use_bias: true });
    const causal = new Conv1D(4, { kernelSize: [2], padding: 'Causal', dataFormat: 'channels_first' });
    expect(causal.getConfig()['padding']).toBe('causal');
    expect(Conv1D.fromConfig(causal.getConfig()).getConfig()).toEqual(causal.getConfig());
  });

  it('counts parameters as Keras (Conv1D(32, 3) on 128 features = 12,320)', () => {
    const layer = new Conv1D(32, { kernelSize: 3 });
    expect(layer.apply(Input([10, 128])).shape).toEqual([null, 8, 32]);
    expect(layer.countParams()).toBe(3 * 128 * 32 + 32);
  });

  it('rejects bad arguments', () => {
    expect(() => new Conv1D(4, { kernelSize: [3, 3] })).toThrow(/`kernelSize` must be an integer or a list of 1 integer, got \[3,3\]/);
    expect(() => new Conv1D(4, { kernelSize: 3, padding: 'full' })).toThrow(/valid choices: "valid", "same", "causal"/);
    expect(() => new Conv1D(-1, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
    expect(() => new Conv1D(4, { kernelSize: 3 }).apply(Input([5, 5, 3]))).toThrow(/rank/);
  });
});
