import { describe, expect, it } from 'vitest';
import { optimizers, setRandomSeed, tf } from '@strata/core';
import { MNIST_PIXELS, loadMnist } from '@strata/datasets';
import { VAE, buildDecoder, buildEncoder } from './vae.js';

describe('VAE example (custom trainStep, GradientTape, trackers)', () => {
  it('trains three steps on eight real digits: finite losses that go down, Keras log keys, no tensor leaks', async () => {
    setRandomSeed(1337);
    const { train } = loadMnist({ trainCount: 100 });
    const images = tf.tensor4d(train.images.subarray(0, 8 * MNIST_PIXELS), [8, 28, 28, 1]);
    const vae = new VAE(buildEncoder(), buildDecoder());
    vae.compile({ optimizer: new optimizers.Adam({ learningRate: 0.003 }) });
    expect(vae.trainableWeights.length).toBe(vae.encoder.trainableWeights.length + vae.decoder.trainableWeights.length);
    const before = tf.memory().numTensors;
    const history = await vae.fit(images, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    // Adam's slot variables are the only new tensors (two per trainable weight).
    expect(tf.memory().numTensors).toBe(before + 2 * vae.trainableWeights.length);
    expect(Object.keys(history.history)).toEqual(['loss', 'reconstruction_loss', 'kl_loss']);
    const losses = history.history['loss']!;
    for (const key of ['loss', 'reconstruction_loss', 'kl_loss'])
      expect(history.history[key]!.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    // loss is the sum of its two parts (each the epoch mean of the same batches).
    const last = (k: string): number => history.history[k]![2]!;
    expect(last('loss')).toBeCloseTo(last('reconstruction_loss') + last('kl_loss'), 2);
    expect(vae.metricsNames).toEqual(['total_loss', 'reconstruction_loss', 'kl_loss']);
    images.dispose();
    vae.dispose();
  });
});
