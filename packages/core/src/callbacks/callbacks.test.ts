import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SGD } from '../optimizers/sgd.js';
import { mlp, regressionData } from '../training/test-models.test-suite.js';
import {
  CSVLogger,
  EarlyStopping,
  GradientMonitor,
  LambdaCallback,
  LearningRateScheduler,
  ModelCheckpoint,
  ReduceLROnPlateau,
  TerminateOnNaN,
  formatFilepath,
  pythonFloat,
  type Logs,
} from './index.js';

/** A callback that overwrites `val_loss` with scripted values (it runs before the callbacks under test). */
function scriptedValLoss(values: number[]): LambdaCallback {
  return new LambdaCallback({
    onEpochEnd: (epoch: number, logs: Logs) => {
      logs['val_loss'] = values[epoch]!;
    },
  });
}

function trainingSetup(lr = 0.1) {
  const { x, y } = regressionData(16);
  const model = mlp(4);
  model.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
  return { x, y, model };
}

describe('Callback hooks', () => {
  it('are called in Keras order with the model, params and logs', async () => {
    const { Callback } = await import('./callback.js');
    const calls: string[] = [];
    class Recorder extends Callback {
      override onTrainBegin(): void {
        calls.push(`trainBegin model=${this.model?.name} steps=${this.params.steps}`);
      }
      override onEpochBegin(e: number): void {
        calls.push(`epochBegin ${e}`);
      }
      override onTrainBatchBegin(b: number): void {
        calls.push(`batchBegin ${b}`);
      }
      override onTrainBatchEnd(b: number, logs?: Logs): void {
        calls.push(`batchEnd ${b} ${Object.keys(logs ?? {}).join(',')}`);
      }
      override onTestBegin(): void {
        calls.push('testBegin');
      }
      override onTestBatchEnd(b: number): void {
        calls.push(`testBatchEnd ${b}`);
      }
      override onTestEnd(logs?: Logs): void {
        calls.push(`testEnd ${Object.keys(logs ?? {}).join(',')}`);
      }
      override async onEpochEnd(e: number, logs?: Logs): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 1));
        calls.push(`epochEnd ${e} ${Object.keys(logs ?? {}).join(',')}`);
      }
      override onTrainEnd(): void {
        calls.push('trainEnd');
      }
      override onPredictBegin(): void {
        calls.push('predictBegin');
      }
      override onPredictBatchEnd(b: number): void {
        calls.push(`predictBatchEnd ${b}`);
      }
      override onPredictEnd(): void {
        calls.push('predictEnd');
      }
    }
    const { x, y, model } = trainingSetup();
    const recorder = new Recorder();
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      validationData: [x, y],
      validationBatchSize: 16,
      callbacks: [recorder],
      verbose: 0,
    });
    expect(calls).toEqual([
      `trainBegin model=${model.name} steps=2`,
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0 loss',
      'batchBegin 1',
      'batchEnd 1 loss',
      'testBegin',
      'testBatchEnd 0',
      'testEnd loss',
      'epochEnd 0 loss,val_loss',
      'trainEnd',
    ]);
    calls.length = 0;
    (model.predict(x, { batchSize: 8, callbacks: [recorder], verbose: 0 }) as tf.Tensor).dispose();
    expect(calls).toEqual(['predictBegin', 'predictBatchEnd 0', 'predictBatchEnd 1', 'predictEnd']);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the exact best weights', async () => {
    const { x, y, model } = trainingSetup();
    const snapshots: number[][][] = [];
    const recorder = new LambdaCallback({
      onEpochEnd: () => void snapshots.push(model.getWeights().map((w) => Array.from(w.dataSync()))),
    });
    const stopper = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, y, {
      epochs: 10,
      callbacks: [recorder, scriptedValLoss([3, 1, 2, 2.5, 4, 5, 6, 7, 8, 9]), stopper],
      verbose: 0,
    });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(snapshots[1]);
    expect(snapshots[3]).not.toEqual(snapshots[1]);
  });

  it('minDelta, baseline, mode max and startFromEpoch', async () => {
    const run = async (values: number[], args: ConstructorParameters<typeof EarlyStopping>[0]): Promise<number> => {
      const { x, y, model } = trainingSetup();
      const history = await model.fit(x, y, {
        epochs: values.length,
        callbacks: [scriptedValLoss(values), new EarlyStopping(args)],
        verbose: 0,
      });
      return history.epoch.length;
    };
    // improvements of 0.05 do not count with minDelta 0.1
    expect(await run([1, 0.95, 0.9, 0.85, 0.8], { patience: 1, minDelta: 0.1 })).toBe(2);
    // the first epoch counts towards patience when it does not beat the baseline (Keras)
    expect(await run([5, 5, 5, 5, 5], { patience: 2, baseline: 0.5 })).toBe(2);
    expect(await run([5, 5, 5, 5, 5], { patience: 2 })).toBe(3);
    // mode max: decreasing values never improve
    expect(await run([5, 4, 3, 2, 1], { patience: 1, mode: 'max' })).toBe(2);
    expect(await run([5, 4, 3, 2, 1], { patience: 1, mode: 'max', startFromEpoch: 2 })).toBe(4);
    expect(() => new EarlyStopping({ mode: 'maximum' as never })).toThrow(/mode must be one of auto, min, max/);
  });

  it('infers the direction of compiled metrics and refuses unknown ones in auto mode', async () => {
    const { x, y } = regressionData(8);
    const model = mlp(2);
    model.compile({ loss: 'mse', metrics: ['mae', 'accuracy'] });
    const stopper = new EarlyStopping({ monitor: 'val_custom' });
    const setter = new LambdaCallback({ onEpochEnd: (_e: number, logs: Logs) => void (logs['val_custom'] = 1) });
    await expect(model.fit(x, y, { epochs: 2, callbacks: [setter, stopper], verbose: 0 })).rejects.toThrow(
      /pass mode: 'max' or mode: 'min'/,
    );
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies the learning rate by factor after `patience` flat epochs and logs learning_rate', async () => {
    const { x, y, model } = trainingSetup(0.1);
    const history = await model.fit(x, y, {
      epochs: 5,
      callbacks: [scriptedValLoss([1, 1, 1, 1, 1]), new ReduceLROnPlateau({ factor: 0.5, patience: 2 })],
      verbose: 0,
    });
    expect(model.optimizer.learningRate).toBeCloseTo(0.025, 10);
    expect(history.history['learning_rate']).toEqual([0.1, 0.1, 0.1, 0.05, 0.05]);
  });

  it('respects minLr and cooldown; Keras defaults', async () => {
    const { x, y, model } = trainingSetup(0.1);
    await model.fit(x, y, {
      epochs: 6,
      callbacks: [
        scriptedValLoss([1, 1, 1, 1, 1, 1]),
        new ReduceLROnPlateau({ factor: 0.1, patience: 1, cooldown: 2, minLr: 0.005 }),
      ],
      verbose: 0,
    });
    // epoch 1: 0.1 → 0.01 (cooldown 2), epochs 2-3 in cooldown, epoch 4: wait 1 → 0.005 (minLr)
    expect(model.optimizer.learningRate).toBeCloseTo(0.005, 10);
    const defaults = new ReduceLROnPlateau();
    expect([defaults.monitor, defaults.factor, defaults.patience, defaults.cooldown, defaults.minLr]).toEqual([
      'val_loss',
      0.1,
      10,
      0,
      0,
    ]);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor >= 1.0/);
  });
});

describe('LearningRateScheduler', () => {
  it('sets the learning rate from schedule(epoch, lr) at each epoch start', async () => {
    const { x, y, model } = trainingSetup(0.1);
    const history = await model.fit(x, y, {
      epochs: 3,
      callbacks: [new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2))],
      verbose: 0,
    });
    expect(history.history['learning_rate']).toEqual([0.1, 0.05, 0.025]);
    expect(model.optimizer.learningRate).toBe(0.025);
  });
});

describe('TerminateOnNaN', () => {
  it('stops training at the first batch with a NaN loss', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { model } = trainingSetup();
    // A loss that is NaN for the sample whose target is 99 (NaN in the data itself is refused before the step).
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
        tf.mean(
          tf.add(
            tf.square(tf.sub(yTrue, yPred)),
            tf.mul(tf.log(tf.sub(98, yTrue)), tf.cast(tf.equal(yTrue, 99), 'float32')),
          ),
          -1,
        ),
    });
    const x = tf.ones([16, 3]);
    const y = tf.tensor2d([...Array(16).keys()].map((i) => [i === 5 ? 99 : 1]));
    let batches = 0;
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      callbacks: [new LambdaCallback({ onTrainBatchEnd: () => void (batches += 1) }), new TerminateOnNaN()],
      verbose: 0,
    });
    expect(log.mock.calls.map((c) => c[0])).toContain('Batch 1: Invalid loss, terminating training');
    warn.mockRestore();
    log.mockRestore();
    expect(batches).toBe(2);
    expect(history.epoch).toEqual([0]);
  });
});

describe('CSVLogger', () => {
  it('writes epoch and sorted keys in Keras format, appends without a second header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-csv-'));
    const file = join(dir, 'log.csv');
    const { x, y } = regressionData(16);
    const model = mlp(4);
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const history = await model.fit(x, y, {
      epochs: 2,
      validationSplit: 0.25,
      callbacks: [new CSVLogger(file)],
      verbose: 0,
    });
    const h = history.history;
    const row = (e: number): string =>
      [e, h['loss']![e]!, h['mae']![e]!, h['val_loss']![e]!, h['val_mae']![e]!]
        .map((v, i) => (i === 0 ? String(v) : pythonFloat(v)))
        .join(',');
    expect(readFileSync(file, 'utf8')).toBe(`epoch,loss,mae,val_loss,val_mae\r\n${row(0)}\r\n${row(1)}\r\n`);
    const again = await model.fit(x, y, {
      epochs: 1,
      validationSplit: 0.25,
      callbacks: [new CSVLogger(file, { append: true })],
      verbose: 0,
    });
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines.length).toBe(5);
    expect(lines[3]!.startsWith(`0,${pythonFloat(again.history['loss']![0]!)},`)).toBe(true);
    const semi = join(dir, 'semi.csv');
    writeFileSync(semi, 'old');
    await model.fit(x, y, { epochs: 1, callbacks: [new CSVLogger(semi, { separator: ';' })], verbose: 0 });
    expect(readFileSync(semi, 'utf8').split('\r\n')[0]).toBe('epoch;loss;mae');
  });

  it('formats numbers like Python repr(float)', () => {
    expect([1, 0.5, 1e-5, 0.0001, 1.5e-7, 123.25, -2, Number.NaN].map(pythonFloat)).toEqual([
      '1.0',
      '0.5',
      '1e-05',
      '0.0001',
      '1.5e-07',
      '123.25',
      '-2.0',
      'nan',
    ]);
  });
});

describe('ModelCheckpoint', () => {
  it('formats {epoch:02d} and {val_loss:.2f} fields', () => {
    expect(formatFilepath('ckpt/weights.{epoch:02d}-{val_loss:.2f}.keras', { epoch: 3, val_loss: 0.12345 })).toBe(
      'ckpt/weights.03-0.12.keras',
    );
    expect(formatFilepath('m{epoch}.keras', { epoch: 12 })).toBe('m12.keras');
    expect(formatFilepath('m{loss:.3e}.keras', { loss: 0.000123 })).toBe('m1.230e-04.keras');
    expect(() => formatFilepath('{val_acc:.2f}.keras', { epoch: 1 })).toThrow(
      /uses \{val_acc\}, which is not in the logs; available: epoch/,
    );
    expect(() => new ModelCheckpoint('model.h5')).toThrow(/must end in "\.keras"/);
    expect(() => new ModelCheckpoint('model.keras', { saveWeightsOnly: true })).toThrow(/\.weights\.h5/);
  });

  it('saves the model or weights each epoch, or only improvements with saveBestOnly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ckpt-'));
    const { x, y, model } = trainingSetup();
    const best = new ModelCheckpoint(join(dir, 'best-{epoch:02d}.weights.h5'), {
      saveBestOnly: true,
      saveWeightsOnly: true,
    });
    const every = new ModelCheckpoint(join(dir, 'model-{epoch:02d}-{val_loss:.2f}.keras'));
    await model.fit(x, y, { epochs: 4, callbacks: [scriptedValLoss([3, 1, 2, 0.5]), best, every], verbose: 0 });
    expect(best.saved.map((p) => p.slice(dir.length + 1))).toEqual([
      'best-01.weights.h5',
      'best-02.weights.h5',
      'best-04.weights.h5',
    ]);
    expect(every.saved.map((p) => p.slice(dir.length + 1))).toEqual([
      'model-01-3.00.keras',
      'model-02-1.00.keras',
      'model-03-2.00.keras',
      'model-04-0.50.keras',
    ]);
    for (const p of [...best.saved, ...every.saved]) expect(existsSync(p)).toBe(true);
    // the saved weights load back into the model
    const saved = model.getWeights().map((w) => Array.from(w.dataSync()));
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await model.loadWeights(best.saved[2]!);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(saved);
  });
});

describe('GradientMonitor', () => {
  it('records per-layer gradient norms from the step gradients and reports findings in lint shape', async () => {
    const { x, y } = regressionData(8);
    const model = mlp(3);
    // SGD with lr 1: the weight change of a step is exactly minus its gradient.
    model.compile({ optimizer: new SGD({ learningRate: 1 }), loss: 'mse' });
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const findings: unknown[] = [];
    const monitor = new GradientMonitor({
      vanishingThreshold: 1e9,
      explodingThreshold: 1e-9,
      onFinding: (f) => findings.push(f),
    });
    await model.fit(x, y, { epochs: 1, batchSize: 8, callbacks: [monitor], verbose: 0 });
    const after = model.getWeights().map((w) => Array.from(w.dataSync()));
    const deltaNorm = (indices: number[]): number =>
      Math.sqrt(indices.reduce((s, i) => s + before[i]!.reduce((t, v, j) => t + (v - after[i]![j]!) ** 2, 0), 0));
    const [first, last] = model.layers.map((l) => l.name);
    expect(monitor.lastNorms.map((n) => n.layer)).toEqual([first, last]);
    expect(monitor.lastNorms[0]!.norm).toBeCloseTo(deltaNorm([0, 1]), 4);
    expect(monitor.lastNorms[1]!.norm).toBeCloseTo(deltaNorm([2, 3]), 4);
    expect(Object.keys(monitor.history)).toEqual([first, last]);
    expect(findings).toEqual([
      {
        ruleId: 'exploding-gradients',
        severity: 'warn',
        message: expect.stringContaining(`Layer "${first}" (Dense)`),
        layer: { name: first, className: 'Dense', path: [] },
      },
      {
        ruleId: 'exploding-gradients',
        severity: 'warn',
        message: expect.any(String),
        layer: { name: last, className: 'Dense', path: [] },
      },
      {
        ruleId: 'vanishing-gradients',
        severity: 'warn',
        message: expect.stringContaining('vanish'),
        layer: { name: first, className: 'Dense', path: [] },
      },
    ]);
  });

  it('detects vanishing gradients in a deep sigmoid stack with the default threshold', async () => {
    const { Sequential } = await import('../engine/sequential.js');
    const { Input } = await import('../engine/input-layer.js');
    const { Dense } = await import('../layers/core/dense.js');
    const { x, y } = regressionData(16);
    const model = new Sequential([
      Input([3]),
      ...Array.from({ length: 10 }, () => new Dense(4, { activation: 'sigmoid' })),
      new Dense(1),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const findings: { ruleId: string; layer: { name: string } }[] = [];
    await model.fit(x, y, {
      epochs: 1,
      callbacks: [new GradientMonitor({ onFinding: (f) => findings.push(f) })],
      verbose: 0,
    });
    expect(findings.map((f) => [f.ruleId, f.layer.name])).toEqual([['vanishing-gradients', model.layers[0]!.name]]);
  });

  it('stays quiet on a healthy model with default thresholds', async () => {
    const { x, y } = regressionData(8);
    const model = mlp(3);
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    const monitor = new GradientMonitor({ onFinding: () => undefined });
    await model.fit(x, y, { epochs: 2, callbacks: [monitor], verbose: 0 });
    expect(monitor.findings).toEqual([]);
    expect(Object.values(monitor.history).every((h) => h.length === 2)).toBe(true);
  });
});
