/**
 * The two Strata halves of a hand-off to Keras 3: build and compile a model here, save it as a
 * `.keras` file with its training data as `.npy`; Keras (on any of its backends, on any hardware)
 * trains it with `train_in_keras.py`; Strata loads the trained file back and checks it predicts
 * what Keras predicted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Input, Sequential, layers, loadModel, mulberry32, saveModel, tf, type Model } from '@strata/core';
import { encodeNpy, parseNpy } from '@strata/graph';

/** Features per sample. */
export const FEATURES = 8;

/** A learnable rule: the label says whether the first half of the features outweighs the second. */
export function makeData(count: number, seed = 7): { x: Float32Array; y: Float32Array } {
  // The same numbers on every machine.
  const random = mulberry32(seed);
  const x = new Float32Array(count * FEATURES);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let balance = 0;
    for (let j = 0; j < FEATURES; j++) {
      const value = random() * 2 - 1;
      x[i * FEATURES + j] = value;
      balance += j < FEATURES / 2 ? value : -value;
    }
    y[i] = balance > 0 ? 1 : 0;
  }
  return { x, y };
}

/** The model Strata hands over: compiled, so Keras trains it with the same loss and optimizer. */
export function buildModel(): Model {
  const model = new Sequential([
    Input([FEATURES]),
    new layers.Dense(16, { activation: 'relu' }),
    new layers.Dropout(0.1),
    new layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Step 1: writes `model.keras`, `x.npy` and `y.npy` into `dir`. */
export async function prepare(dir: string, count = 512): Promise<void> {
  const model = buildModel();
  const { x, y } = makeData(count);
  await saveModel(model, join(dir, 'model.keras'));
  model.dispose();
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'float32', shape: [count, FEATURES], data: x }));
  writeFileSync(join(dir, 'y.npy'), encodeNpy({ dtype: 'float32', shape: [count, 1], data: y }));
}

/** What step 3 found: how far Strata's predictions are from Keras's, and the accuracy. */
export interface HandoffResult {
  maxAbsDiff: number;
  accuracy: number;
}

/** Step 3: loads Keras's `trained.keras` and compares with Keras's own predictions (`keras_pred.npy`). */
export async function finish(dir: string): Promise<HandoffResult> {
  const model = await loadModel(join(dir, 'trained.keras'));
  const xs = parseNpy(readFileSync(join(dir, 'x.npy')), 'x.npy');
  const ys = parseNpy(readFileSync(join(dir, 'y.npy')), 'y.npy');
  const kerasPred = parseNpy(readFileSync(join(dir, 'keras_pred.npy')), 'keras_pred.npy');
  const x = tf.tensor(xs.data, xs.shape);
  const pred = model.predict(x, { verbose: 0 }) as tf.Tensor;
  const values = pred.dataSync();
  tf.dispose([x, pred]);
  let maxAbsDiff = 0;
  let correct = 0;
  for (let i = 0; i < values.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(values[i]! - kerasPred.data[i]!));
    if ((values[i]! > 0.5 ? 1 : 0) === ys.data[i]) correct++;
  }
  model.dispose();
  return { maxAbsDiff, accuracy: correct / values.length };
}
