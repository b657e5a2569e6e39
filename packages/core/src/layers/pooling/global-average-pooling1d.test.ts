import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { describeGlobalPoolingLayer } from './global-pooling.test-suite.js';

describeGlobalPoolingLayer(
  {
    layer: GlobalAveragePooling1D,
    mode: 'average',
    inputShape: [2, 5, 3],
    toChannelsFirst: [0, 2, 1],
    keptShape: [2, 1, 3],
    keptFirstShape: [2, 3, 1],
  },
  () => {
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
      const yFirst = new GlobalAveragePooling1D({ dataFormat: 'channels_first', keepdims: true }).apply(first, {
        mask,
      });
      expect(yFirst.shape).toEqual([3, 2, 1]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(tf.squeeze(yFirst, [2]), expected))).dataSync()[0])).toBeLessThan(1e-5);
      expect(() => layer.apply(input, { mask: tf.ones([3, 4], 'bool') })).toThrow(
        /expected a mask of shape \(batch, steps\) = \(3, 5\), got \(3, 4\)/,
      );
      tf.dispose([input, mask, y, expected, first, yFirst]);
    });
  },
);
