import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { AveragePooling3D } from './average-pooling3d.js';

interface PoolCase {
  config: { pool_size: number[]; strides: number[]; padding: string; data_format: string };
  input: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./pooling.fixture.json', import.meta.url), 'utf8')) as Record<string, Record<string, PoolCase>>;

describe('AveragePooling3D', () => {
  it.each(Object.entries(fixture['average_pooling3d']!))('matches the PyTorch reference (TF "same" padding) to 1e-5: %s', (_, c) => {
    const layer = new AveragePooling3D(c.config.pool_size, { strides: c.config.strides, padding: c.config.padding, dataFormat: c.config.data_format });
    const x = tf.tensor(c.input);
    const before = tf.memory().numTensors;
    const y = layer.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.tensor(c.output);
    expect(y.shape).toEqual(expected.shape);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0])).toBeLessThan(1e-5);
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...y.shape.slice(1)]);
    tf.dispose([x, y, expected]);
  });

  it('defaults to poolSize 2 with strides = poolSize, valid padding, channels_last (Keras config keys)', () => {
    const layer = new AveragePooling3D();
    expect(layer.kerasConfig()).toEqual({
      name: layer.name,
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      pool_size: [2, 2, 2],
      padding: 'valid',
      strides: [2, 2, 2],
      data_format: 'channels_last',
    });
    expect(layer.apply(Input([6, 7, 5, 4])).shape).toEqual([null, 3, 3, 2, 4]);
    expect(new AveragePooling3D(2, { dataFormat: 'channels_first' }).apply(Input([4, 6, 7, 5])).shape).toEqual([null, 4, 3, 3, 2]);
    expect(new AveragePooling3D(3, { strides: 1 }).getConfig()['strides']).toEqual([2, 2, 2].map(() => 1));
  });

  it('round-trips getConfig → fromConfig and has no weights', () => {
    const layer = new AveragePooling3D(3, { strides: 2, padding: 'SAME', dataFormat: 'channels_first' });
    expect(layer.getConfig()['padding']).toBe('same');
    expect(layerFromConfig('AveragePooling3D', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    layer.apply(Input([4, 6, 7, 5]));
    expect(layer.countParams()).toBe(0);
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => new AveragePooling3D(0)).toThrow(/AveragePooling3D .*`poolSize` values must be > 0/);
    expect(() => new AveragePooling3D([2, 2])).toThrow(/`poolSize` must be an integer or a list of 3 integer/);
    expect(() => new AveragePooling3D(2, { padding: 'causal' })).toThrow(/invalid padding "causal"; valid choices: "valid", "same"/);
    expect(() => new AveragePooling3D(2, { dataFormat: 'NHWC' })).toThrow(/channels_last, channels_first/);
    expect(() => new AveragePooling3D(2).apply(Input([4]))).toThrow(/expected input of rank 5/);
  });
});
