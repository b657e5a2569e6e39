import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '../optimizers/adam.js';
import { CategoricalCrossentropy } from '../losses/probabilistic.js';
import type { Model } from '../engine/model.js';
import { mlp } from './test-models.test-suite.js';

describe('compile config', () => {
  it('describes optimizer, loss and metrics in Keras form', () => {
    const model = mlp(2);
    expect(model.getCompileConfig()).toBeUndefined();
    model.compile({
      optimizer: new Adam({ learningRate: 0.02 }),
      loss: new CategoricalCrossentropy({ labelSmoothing: 0.1 }),
      metrics: ['accuracy'],
    });
    const config = model.getCompileConfig()!;
    expect(config['optimizer']).toMatchObject({
      module: 'keras.optimizers',
      className: 'Adam',
      config: { learning_rate: 0.02, beta_1: 0.9 },
    });
    expect(config['loss']).toMatchObject({
      module: 'keras.losses',
      className: 'CategoricalCrossentropy',
      config: { label_smoothing: 0.1 },
    });
    expect(config['metrics']).toEqual(['accuracy']);
  });

  it('survives a .keras save / load round trip (the model comes back compiled)', async () => {
    const { loadModel } = (await import('../saving/index.js' as string)) as { loadModel(path: string): Promise<Model> };
    const model = mlp(2);
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'mse', metrics: ['mae'] });
    const path = join(mkdtempSync(join(tmpdir(), 'strata-compile-')), 'model.keras');
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded.compiled).toBe(true);
    expect(loaded.optimizer.className).toBe('Adam');
    expect(loaded.optimizer.learningRate).toBeCloseTo(0.02, 7);
    expect(loaded.loss).toBe('mse');
    const logs = await loaded.evaluate([[1, 2, 3]], [[1]], { verbose: 0, returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'mae']);
  });
});
