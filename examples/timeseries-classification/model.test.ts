import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, setRandomSeed, tf } from '@strata/core';
import { makeCallbacks, makeModel } from './model.js';
import { makeWaveforms } from './waveforms.js';

describe('timeseries classification (FCN)', () => {
  it('generates balanced, z-normalized series', () => {
    const w = makeWaveforms(10, 32, 4);
    expect(w.y.reduce((a, b) => a + b, 0)).toBe(5);
    const first = w.x.slice(0, 32);
    const mean = first.reduce((a, b) => a + b, 0) / 32;
    expect(mean).toBeCloseTo(0, 5);
    expect(first.reduce((a, b) => a + (b - mean) ** 2, 0) / 32).toBeCloseTo(1, 4);
    expect(() => makeWaveforms(10, 8, 1)).toThrow(/length must be an integer ≥ 16, got 8/);
  });

  it('trains a few epochs with the three callbacks, checkpoints the best model and reloads it; no tensor leaks', async () => {
    setRandomSeed(3);
    const before = tf.memory().numTensors;
    const w = makeWaveforms(40, 32, 5);
    const x = tf.tensor3d(w.x, [w.count, w.length, 1]);
    const y = tf.tensor1d(w.y, 'float32');
    const model = makeModel([32, 1], 2, 8);
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['sparse_categorical_accuracy'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'strata-fcn-test-'));
    try {
      const checkpoint = join(dir, 'best_model.keras');
      const history = await model.fit(x, y, {
        batchSize: 16,
        epochs: 3,
        callbacks: makeCallbacks(checkpoint),
        validationSplit: 0.2,
        verbose: 0,
      });
      const loss = history.history['loss']!;
      expect(loss.every(Number.isFinite)).toBe(true);
      expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
      const best = await loadModel(checkpoint);
      const probs = best.predict(x, { verbose: 0 }) as tf.Tensor;
      expect(probs.shape).toEqual([40, 2]);
      // validationSplit holds out the last 20%: the reloaded checkpoint scores the best val_loss seen.
      const [xVal, yVal] = [tf.slice(x, [32, 0, 0]), tf.slice(y, [32])];
      const [bestValLoss] = (await best.evaluate(xVal, yVal, { verbose: 0 })) as number[];
      expect(bestValLoss).toBeCloseTo(Math.min(...history.history['val_loss']!), 3);
      tf.dispose([probs, xVal, yVal]);
      best.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    tf.dispose([x, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
