import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { loadMnist } from '@strata/datasets';
import { buildAutoencoder, noise, preprocess } from './model.js';

describe('convolutional denoising autoencoder', () => {
  it('keeps the 28×28×1 shape through the 7×7 bottleneck, as in Keras’s summary', () => {
    const model = buildAutoencoder();
    expect(model.layers.slice(1).map((l) => l.inboundNodes[0]!.outputs[0]!.shape)).toEqual([
      [null, 28, 28, 32],
      [null, 14, 14, 32],
      [null, 14, 14, 32],
      [null, 7, 7, 32],
      [null, 14, 14, 32],
      [null, 28, 28, 32],
      [null, 28, 28, 1],
    ]);
    // Keras's summary: 28,353 parameters.
    expect(model.countParams()).toBe(28353);
    model.dispose();
  });

  it('adds clipped noise and trains on a few real digits: finite loss that goes down, no tensor leaks', async () => {
    setRandomSeed(3);
    const before = tf.memory().numTensors;
    const { train } = loadMnist({ trainCount: 32 });
    const clean = preprocess(train.images, train.count);
    const noisy = noise(clean, 0.4, 1);
    const [min, max, changed] = tf.tidy(() =>
      [tf.min(noisy), tf.max(noisy), tf.mean(tf.abs(tf.sub(noisy, clean)))].map((t) => t.dataSync()[0]!),
    );
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(changed).toBeGreaterThan(0.1);
    const model = buildAutoencoder(4);
    const history = await model.fit(noisy, clean, { epochs: 3, batchSize: 16, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
    const out = model.predict(noisy, { verbose: 0 }) as tf.Tensor;
    expect(out.shape).toEqual([32, 28, 28, 1]);
    tf.dispose([out, clean, noisy]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
