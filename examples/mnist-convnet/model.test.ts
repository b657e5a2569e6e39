/** The MNIST convnet example trains a few steps on real digits, without leaking tensors. */
import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { loadMnist, toCategorical } from '@strata/datasets';
import { NUM_CLASSES, buildConvnet } from './model.js';

describe('mnist-convnet example', () => {
  it("has Keras's parameter count and lowers its loss over a few epochs on 64 real digits", async () => {
    setRandomSeed(1337);
    const { train } = loadMnist({ trainCount: 64 });
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(train.images.subarray(0, 64 * 784), [64, 28, 28, 1]);
    const y = tf.tensor2d(toCategorical(train.labels.subarray(0, 64), NUM_CLASSES), [64, NUM_CLASSES]);
    const model = buildConvnet();
    // keras.io's summary: 34,826 parameters.
    expect(model.countParams()).toBe(34826);
    const history = await model.fit(x, y, { batchSize: 32, epochs: 4, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
    tf.dispose([x, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
