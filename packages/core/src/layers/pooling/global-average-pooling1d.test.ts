import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';

/** Hand reference: the mean over every position of each (batch, channel), from a channels-last array. */
function reference(x: tf.Tensor): number[][] {
  const batch = x.shape[0]!;
  const channels = x.shape[x.rank - 1]!;
  const flat = tf.tidy(() => tf.reshape(x, [batch, -1, channels]).arraySync()) as number[][][];
  return flat.map((positions) =>
    Array.from({ length: channels }, (_, c) => {
      const values = positions.map((p) => p[c]!);
      return values.reduce((a, b) => a + b, 0) / values.length;
    }),
  );
}

describe('GlobalAveragePooling1D', () => {
  // Created per test: the backend is chosen in beforeAll, after collection.
  const makeInput = (): tf.Tensor => tf.randomNormal([2, 5, 3], 0, 1, 'float32', 7);

  it('computes the mean over the spatial axes (hand reference, both data formats, keepdims)', () => {
    const x = makeInput();
    const expected = reference(x);
    const before = tf.memory().numTensors;
    const y = new GlobalAveragePooling1D().apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([2, 3]);
    const got = y.arraySync() as number[][];
    got.forEach((row, b) => row.forEach((v, c) => expect(Math.abs(v - expected[b]![c]!)).toBeLessThan(1e-5)));
    const channelsFirst = tf.transpose(x, [0, 2, 1]);
    const yFirst = new GlobalAveragePooling1D({ dataFormat: 'channels_first' }).apply(channelsFirst);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(yFirst, y))).dataSync()[0])).toBeLessThan(1e-6);
    const kept = new GlobalAveragePooling1D({ keepdims: true }).apply(x);
    expect(kept.shape).toEqual([2, 1, 3]);
    const keptFirst = new GlobalAveragePooling1D({ keepdims: true, dataFormat: 'channels_first' }).apply(channelsFirst);
    expect(keptFirst.shape).toEqual([2, 3, 1]);
    tf.dispose([x, y, channelsFirst, yFirst, kept, keptFirst]);
  });

  it('gives symbolic shapes, Keras config keys/defaults, and round-trips', () => {
    const x = makeInput();
    const layer = new GlobalAveragePooling1D();
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, 3]);
    expect(new GlobalAveragePooling1D({ keepdims: true }).apply(Input(x.shape.slice(1))).shape).toEqual([null, ...[2, 1, 3].slice(1)]);
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'data_format', 'keepdims']);
    expect(config).toMatchObject({ data_format: 'channels_last', keepdims: false });
    const custom = new GlobalAveragePooling1D({ dataFormat: 'channels_first', keepdims: true });
    x.dispose();
    expect(layerFromConfig('GlobalAveragePooling1D', custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('averages only unmasked steps (PyTorch reference) and outputs no mask', () => {
    const fixture = JSON.parse(readFileSync(new URL('./pooling.fixture.json', import.meta.url), 'utf8')) as {
      global_average_pooling1d_masked: { input: number[]; mask: boolean[][]; output: number[] };
    };
    const c = fixture.global_average_pooling1d_masked;
    const input = tf.tensor(c.input);
    const mask = tf.tensor(c.mask, undefined, 'bool');
    const layer = new GlobalAveragePooling1D();
    expect(layer.supportsMasking).toBe(true);
    const before = tf.memory().numTensors;
    const y = layer.apply(input, { mask });
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.tensor(c.output);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0])).toBeLessThan(1e-5);
    expect(layer.computeMask()).toBeNull();
    // channels_first takes the same (batch, steps) mask.
    const first = tf.transpose(input, [0, 2, 1]);
    const yFirst = new GlobalAveragePooling1D({ dataFormat: 'channels_first', keepdims: true }).apply(first, { mask });
    expect(yFirst.shape).toEqual([3, 2, 1]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(tf.squeeze(yFirst, [2]), expected))).dataSync()[0])).toBeLessThan(1e-5);
    expect(() => layer.apply(input, { mask: tf.ones([3, 4], 'bool') })).toThrow(/expected a mask of shape \(batch, steps\) = \(3, 5\), got \(3, 4\)/);
    tf.dispose([input, mask, y, expected, first, yFirst]);
  });

  it('rejects bad inputs and arguments', () => {
    expect(() => new GlobalAveragePooling1D().apply(Input([3]))).toThrow(/expected input of rank 3/);
    expect(() => new GlobalAveragePooling1D({ dataFormat: 'channels_middle' })).toThrow(/GlobalAveragePooling1D .*channels_last, channels_first/);
  });
});
