import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { itMatchesPlainConvReference } from './conv-reference.test-suite.js';
import { Conv1D } from './conv1d.js';

describe('Conv1D', () => {
  itMatchesPlainConvReference(Conv1D, 'conv1d');

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
    expect(config).toMatchObject({
      filters: 32,
      kernel_size: [3],
      strides: [1],
      padding: 'valid',
      data_format: 'channels_last',
      dilation_rate: [1],
      groups: 1,
      activation: 'relu',
      use_bias: true,
    });
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
    expect(() => new Conv1D(4, { kernelSize: [3, 3] })).toThrow(
      /`kernelSize` must be an integer or a list of 1 integer, got \[3,3\]/,
    );
    expect(() => new Conv1D(4, { kernelSize: 3, padding: 'full' })).toThrow(/valid choices: "valid", "same", "causal"/);
    expect(() => new Conv1D(-1, { kernelSize: 3 })).toThrow(/`filters` must be a positive integer/);
    expect(() => new Conv1D(4, { kernelSize: 3 }).apply(Input([5, 5, 3]))).toThrow(/rank/);
  });
});
