/**
 * Port of Keras's "Timeseries classification from scratch"
 * (keras.io/examples/timeseries/timeseries_classification_from_scratch): a fully convolutional
 * network with ModelCheckpoint / ReduceLROnPlateau / EarlyStopping. FordA is not shipped by any
 * npm package, so the series are GENERATED noisy waveforms (see waveforms.ts).
 *
 * Run: pnpm example:timeseries-classification   (EPOCHS=5 for a quick run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendSummary, initBackend, loadModel, setRandomSeed, tf } from '@strata/core';
import { makeCallbacks, makeModel } from './model.js';
import { makeWaveforms } from './waveforms.js';

await initBackend();
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const length = 128; // FordA: 500
console.log(
  'data: GENERATED waveforms (FordA is not on npm): class 1 series carry a faint high-frequency tone over half the window',
);
const train = makeWaveforms(Number(process.env['SAMPLES'] ?? 1200), length, 1);
const test = makeWaveforms(600, length, 2);
const xTrain = tf.tensor3d(train.x, [train.count, length, 1]);
const yTrain = tf.tensor1d(train.y, 'float32');
const xTest = tf.tensor3d(test.x, [test.count, length, 1]);
const yTest = tf.tensor1d(test.y, 'float32');
const numClasses = new Set(train.y).size;
console.log(`x_train shape: (${xTrain.shape.join(', ')}), ${numClasses} classes`);

const model = makeModel(xTrain.shape.slice(1), numClasses);
model.summary();

const epochs = Number(process.env['EPOCHS'] ?? 30); // Keras: 500, with patience 20 / 50
const batchSize = 32;
const dir = mkdtempSync(join(tmpdir(), 'strata-fcn-'));
const checkpoint = join(dir, 'best_model.keras');
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
await model.fit(xTrain, yTrain, {
  batchSize,
  epochs,
  callbacks: makeCallbacks(checkpoint, { reduceLr: 5, earlyStopping: 10 }),
  validationSplit: 0.2,
  verbose: 1,
});
model.dispose();

// Evaluate the best model (the checkpoint), as Keras's example does.
const best = await loadModel(checkpoint);
const [testLoss, testAccuracy] = (await best.evaluate(xTest, yTest, { verbose: 0 })) as number[];
console.log(`Test accuracy: ${testAccuracy!.toFixed(4)}`);
console.log(`Test loss: ${testLoss!.toFixed(4)}`);
best.dispose();
rmSync(dir, { recursive: true, force: true });
tf.dispose([xTrain, yTrain, xTest, yTest]);
