import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { GlobalAveragePooling3D } from './global-average-pooling3d.js';

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

describe('GlobalAveragePooling3D', () => {
  // Created per test: the backend is chosen in beforeAll, after collection.
  const makeInput = (): tf.Tensor => tf.randomNormal([2, 3, 4, 2, 3], 0, 1, 'float32', 7);

  it('computes the mean over the spatial axes (hand reference, both data formats, keepdims)', () => {
    const x = makeInput();
    const expected = reference(x);
    const before = tf.memory().numTensors;
    const y = new GlobalAveragePooling3D().apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([2, 3]);
    const got = y.arraySync() as number[][];
    got.forEach((row, b) => row.forEach((v, c) => expect(Math.abs(v - expected[b]![c]!)).toBeLessThan(1e-5)));
    const channelsFirst = tf.transpose(x, [0, 4, 1, 2, 3]);
    const yFirst = new GlobalAveragePooling3D({ dataFormat: 'channels_first' }).apply(channelsFirst);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(yFirst, y))).dataSync()[0])).toBeLessThan(1e-6);
    const kept = new GlobalAveragePooling3D({ keepdims: true }).apply(x);
    expect(kept.shape).toEqual([2, 1, 1, 1, 3]);
    const keptFirst = new GlobalAveragePooling3D({ keepdims: true, dataFormat: 'channels_first' }).apply(channelsFirst);
    expect(keptFirst.shape).toEqual([2, 3, 1, 1, 1]);
    tf.dispose([x, y, channelsFirst, yFirst, kept, keptFirst]);
  });

  it('gives symbolic shapes, Keras config keys/defaults, and round-trips', () => {
    const x = makeInput();
    const layer = new GlobalAveragePooling3D();
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, 3]);
    expect(new GlobalAveragePooling3D({ keepdims: true }).apply(Input(x.shape.slice(1))).shape).toEqual([null, ...[2, 1, 1, 1, 3].slice(1)]);
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'data_format', 'keepdims']);
    expect(config).toMatchObject({ data_format: 'channels_last', keepdims: false });
    const custom = new GlobalAveragePooling3D({ dataFormat: 'channels_first', keepdims: true });
    x.dispose();
    expect(layerFromConfig('GlobalAveragePooling3D', custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad inputs and arguments', () => {
    expect(() => new GlobalAveragePooling3D().apply(Input([3]))).toThrow(/expected input of rank 5/);
    expect(() => new GlobalAveragePooling3D({ dataFormat: 'channels_middle' })).toThrow(/GlobalAveragePooling3D .*channels_last, channels_first/);
  });
});
