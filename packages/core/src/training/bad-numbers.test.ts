/**
 * NaN or ±Infinity in training data is refused before the step that would turn every weight
 * into NaN, naming the batch and the array; a NaN loss is logged as NaN and stops TerminateOnNaN.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaCallback, TerminateOnNaN } from '../callbacks/simple.js';
import type { Logs } from '../callbacks/callback.js';
import { SGD } from '../optimizers/sgd.js';
import { twoHeadModel, zeroModel } from './test-models.test-suite.js';

afterEach(() => vi.restoreAllMocks());

const weightsOf = (model: { weights: { value: tf.Tensor }[] }): number[] =>
  model.weights.flatMap((w) => Array.from(w.value.dataSync()));

describe('non-finite training data', () => {
  it('fit refuses NaN in an input at the batch that holds it, before any weight turns NaN', async () => {
    const model = zeroModel(2);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const name = model.inputs[0]!.sourceLayer.name;
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, Number.NaN],
      [7, 8],
    ]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    const before = tf.memory().numTensors;
    let batches = 0;
    const fit = model.fit(x, y, {
      batchSize: 2,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      callbacks: [new LambdaCallback({ onTrainBatchEnd: () => void (batches += 1) })],
    });
    await expect(fit).rejects.toThrow(`fit: batch 1 of epoch 1: input "${name}" holds NaN (sample 0 of the batch)`);
    expect(batches).toBe(1);
    // The first batch trained; nothing is NaN, and no tensor leaked.
    expect(weightsOf(model).every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('names the target (by output name) and Infinity, for every output of a multi-output model', async () => {
    const model = twoHeadModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = [tf.ones([3, 2]), tf.ones([3, 1])];
    const y = { a: tf.ones([3, 1]), b: tf.tensor2d([[1], [2], [Number.NEGATIVE_INFINITY]]) };
    await expect(model.fit(x, y, { batchSize: 8, shuffle: false, verbose: 0 })).rejects.toThrow(
      'fit: batch 0 of epoch 1: target for output "b" holds -Infinity (sample 2 of the batch)',
    );
    expect(weightsOf(model).every(Number.isFinite)).toBe(true);
    tf.dispose([...x, y.a, y.b]);
  });

  it('trainOnBatch refuses it too; sample weights are checked', () => {
    const model = zeroModel(1);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    expect(() => model.trainOnBatch([[1], [Number.POSITIVE_INFINITY]], [[1], [1]])).toThrow(
      /trainOnBatch: input ".*" holds Infinity \(sample 1 of the batch\)/,
    );
    expect(() => model.trainOnBatch([[1], [2]], [[1], [1]], { sampleWeight: [1, Number.NaN] })).toThrow(
      /trainOnBatch: sample weight holds NaN \(sample 1 of the batch\)/,
    );
    expect(weightsOf(model).every(Number.isFinite)).toBe(true);
  });
});

describe('a NaN loss is reported honestly', () => {
  /** A loss that is NaN for samples whose target is 99 (log of a negative number), else 0. */
  const nanLoss = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.mean(tf.add(tf.mul(yPred, 0), tf.mul(tf.log(tf.sub(98, yTrue)), tf.cast(tf.equal(yTrue, 99), 'float32'))), -1);

  it('logs NaN in batch logs and History, and TerminateOnNaN stops at that batch', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const model = zeroModel(1);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: nanLoss });
    const x = tf.ones([8, 1]);
    const y = tf.tensor2d([1, 1, 1, 1, 1, 99, 1, 1], [8, 1]);
    const batchLosses: number[] = [];
    const record = new LambdaCallback({
      onTrainBatchEnd: (_b: number, logs: Logs) => void batchLosses.push(logs['loss']!),
    });
    const plain = await model.fit(x, y, { batchSize: 2, epochs: 1, shuffle: false, verbose: 0, callbacks: [record] });
    expect(batchLosses.slice(0, 2)).toEqual([0, 0]);
    expect(batchLosses.slice(2).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(plain.history['loss']![0])).toBe(true);

    batchLosses.length = 0;
    const stopped = await model.fit(x, y, {
      batchSize: 2,
      epochs: 3,
      shuffle: false,
      verbose: 0,
      callbacks: [record, new TerminateOnNaN()],
    });
    expect(batchLosses).toHaveLength(3);
    expect(stopped.epoch).toEqual([0]);
    expect(Number.isNaN(stopped.history['loss']![0])).toBe(true);
    tf.dispose([x, y]);
  });

  it('the progress bar shows nan', async () => {
    const model = zeroModel(1);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: nanLoss });
    let text = '';
    await model.fit(tf.ones([2, 1]), tf.tensor2d([[99], [1]]), {
      epochs: 1,
      verbose: 2,
      progressOutput: { write: (s: string) => void (text += s), isTTY: false },
    });
    expect(text).toMatch(/loss: nan/);
  });
});
