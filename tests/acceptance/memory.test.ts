/**
 * Acceptance (issue 2): no tensor leaks. `tf.memory().numTensors` returns to its baseline after
 * fit (the second one: the first creates the optimizer slots, kept as Keras keeps optimizer
 * variables), evaluate, predict (outputs disposed), trainOnBatch, callbacks, and loading a
 * `.keras` file then disposing the model — on a functional model with two inputs, two outputs,
 * a shared layer and a nested Sequential.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callbacks, loadModel, optimizers, tf, type Model } from '@strata/core';
import { compileTwoHeads, liveTensors, twoInTwoOutData, twoInTwoOutModel } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-acceptance-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const d = twoInTwoOutData(20);
const x = [d.left, d.right];
const y = { reg: d.reg, cls: d.cls };

/** Builds, compiles and fits once (creating the optimizer slots); returns the model and the live-tensor baseline. */
async function trainedOnce(): Promise<{ model: Model; baseline: number; beforeModel: number }> {
  const beforeModel = liveTensors();
  const model = twoInTwoOutModel();
  compileTwoHeads(model, new optimizers.Adam({ learningRate: 0.01 }));
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  return { model, baseline: liveTensors(), beforeModel };
}

describe('no tensor leaks on a two-input, two-output model with a shared layer and a nested Sequential', () => {
  it('the first fit keeps only weights and optimizer slots', async () => {
    const before = liveTensors();
    const model = twoInTwoOutModel();
    compileTwoHeads(model, new optimizers.Adam({ learningRate: 0.01 }));
    const weights = model.weights.length;
    expect(liveTensors()).toBe(before + weights);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(liveTensors()).toBe(before + weights + model.optimizer.variables.length);
    model.dispose();
    // Disposing the model frees its weights and the optimizer state: back to where we started.
    expect(liveTensors()).toBe(before);
  });

  it('fit (second call, with validation, several epochs and batches, shuffling)', async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    await model.fit(x, y, { epochs: 3, batchSize: 6, validationSplit: 0.25, verbose: 0 });
    expect(liveTensors()).toBe(baseline);
    await model.fit(x, y, { epochs: 2, batchSize: 7, validationData: [x, y], verbose: 0 });
    expect(liveTensors()).toBe(baseline);
    // Data given as tensors: fit must not free (nor keep) the user's tensors.
    const tx = x.map((a) => tf.tensor2d(a));
    const ty = { reg: tf.tensor2d(d.reg), cls: tf.tensor1d(d.cls) };
    const withData = liveTensors();
    await model.fit(tx, ty, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(liveTensors()).toBe(withData);
    tf.dispose([...tx, ty.reg, ty.cls]);
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it('evaluate', async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    await model.evaluate(x, y, { batchSize: 7, verbose: 0 });
    await model.evaluate(x, y, { batchSize: 32, verbose: 0, returnDict: true });
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it('predict (after disposing the outputs), predictOnBatch, trainOnBatch, testOnBatch', async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    const outputs = model.predict(x, { batchSize: 6, verbose: 0 }) as tf.Tensor[];
    expect(outputs.map((t) => t.shape)).toEqual([
      [20, 1],
      [20, 3],
    ]);
    expect(liveTensors()).toBe(baseline + 2);
    tf.dispose(outputs);
    expect(liveTensors()).toBe(baseline);
    tf.dispose(model.predictOnBatch(x) as tf.Tensor[]);
    expect(liveTensors()).toBe(baseline);
    model.trainOnBatch(x, y);
    model.trainOnBatch(x, y, { returnDict: true });
    expect(liveTensors()).toBe(baseline);
    model.testOnBatch(x, y);
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it('with EarlyStopping(restoreBestWeights) that stops and restores, and ModelCheckpoint writing .keras files', async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    // mode "max" on a falling loss: epoch 0 is the best, epoch 1 does not improve → stop and restore epoch 0's weights.
    const early = new callbacks.EarlyStopping({ monitor: 'loss', mode: 'max', patience: 1, restoreBestWeights: true });
    const checkpoint = new callbacks.ModelCheckpoint(join(dir, 'ckpt-{epoch:02d}.keras'));
    const best = new callbacks.ModelCheckpoint(join(dir, 'best.weights.h5'), {
      saveWeightsOnly: true,
      saveBestOnly: true,
      monitor: 'val_loss',
    });
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 8,
      validationSplit: 0.2,
      callbacks: [early, checkpoint, best],
      verbose: 0,
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(checkpoint.saved).toHaveLength(2);
    expect(liveTensors()).toBe(baseline);
    // Loading the checkpoint and disposing it leaves nothing behind either.
    const loaded = await loadModel(checkpoint.saved[0]!);
    expect(loaded.countParams()).toBe(model.countParams());
    loaded.dispose();
    expect(liveTensors()).toBe(baseline);
    await model.loadWeights(join(dir, 'best.weights.h5'));
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it('a fit, trainOnBatch or evaluate that fails on bad targets frees what it recorded', async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    // One-hot targets for the sparse_categorical_crossentropy head: the loss throws inside the training step.
    const oneHot = d.cls.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    await expect(model.fit(x, { reg: d.reg, cls: oneHot }, { verbose: 0 })).rejects.toThrow(
      /sparse_categorical_crossentropy/,
    );
    expect(liveTensors()).toBe(baseline);
    expect(() => model.trainOnBatch(x, { reg: d.reg, cls: oneHot })).toThrow(/sparse_categorical_crossentropy/);
    expect(liveTensors()).toBe(baseline);
    await expect(model.evaluate(x, { reg: d.reg, cls: oneHot }, { verbose: 0 })).rejects.toThrow(
      /sparse_categorical_crossentropy/,
    );
    expect(liveTensors()).toBe(baseline);
    // Wrong input width: caught before any kernel runs.
    await expect(model.fit([d.left, d.reg], y, { verbose: 0 })).rejects.toThrow(/expected shape/);
    expect(() => model.predict([d.left, d.reg], { verbose: 0 })).toThrow(/expected shape/);
    expect(liveTensors()).toBe(baseline);
    // The model still trains afterwards.
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it("a callback that throws does not leak the step's tensors", async () => {
    const { model, baseline, beforeModel } = await trainedOnce();
    const failing = new callbacks.LambdaCallback({
      onEpochEnd: () => {
        throw new Error('callback failed');
      },
    });
    await expect(
      model.fit(x, y, { epochs: 2, validationSplit: 0.2, callbacks: [failing], verbose: 0 }),
    ).rejects.toThrow('callback failed');
    expect(liveTensors()).toBe(baseline);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });

  it('loading a .keras file, predicting, training it and disposing it', async () => {
    const { model, beforeModel } = await trainedOnce();
    const path = join(dir, 'two-heads.keras');
    await model.save(path);
    model.dispose();
    expect(liveTensors()).toBe(beforeModel);
    const loaded = await loadModel(path);
    tf.dispose(loaded.predict(x, { verbose: 0 }) as tf.Tensor[]);
    compileTwoHeads(loaded, 'sgd');
    await loaded.fit(x, y, { epochs: 1, verbose: 0 });
    await loaded.evaluate(x, y, { verbose: 0 });
    loaded.dispose();
    expect(liveTensors()).toBe(beforeModel);
  });
});
