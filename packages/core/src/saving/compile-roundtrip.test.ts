import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readModelFile } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { Dense } from '../layers/core/dense.js';
import { loadModel } from './index.js';
import { compileArgsFrom } from './compile-config.js';
import { predictValues } from './test-support.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compile_config and the Model save/load methods', () => {
  it('writes compile_config when compiled and compiles the loaded model the same way', async () => {
    const model = new Sequential([Input([3]), new Dense(2, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const path = join(dir, 'compiled.keras');
    await model.save(path);
    const config = (await readModelFile(path)).config;
    const compileConfig = config['compile_config'] as Record<string, any>;
    expect(compileConfig).toBeDefined();
    expect(compileConfig['optimizer']).toMatchObject({
      module: 'keras.optimizers',
      class_name: 'Adam',
      registered_name: null,
    });
    expect(compileConfig['loss']).toBe('sparse_categorical_crossentropy');
    expect(compileConfig['metrics']).toEqual(['accuracy']);
    const loaded = await loadModel(path);
    expect(loaded.compiled).toBe(true);
    expect(loaded.optimizer.className).toBe('Adam');
    expect(loaded.loss).toBe('sparse_categorical_crossentropy');
    const notCompiled = await loadModel(path, { compile: false });
    expect(notCompiled.compiled).toBe(false);
    model.dispose();
    loaded.dispose();
    notCompiled.dispose();
  });

  it('reads a Keras 2 training_config (optimizer_config with lr)', () => {
    const args = compileArgsFrom({
      loss: 'mse',
      metrics: null,
      optimizer_config: { class_name: 'RMSprop', config: { lr: 0.01, rho: 0.8, decay: 0.0 } },
    });
    expect(args).toEqual({
      optimizer: { className: 'RMSprop', config: { learningRate: 0.01, rho: 0.8 } },
      loss: 'mse',
    });
  });

  it('an uncompiled model has no compile_config', async () => {
    const model = new Sequential([Input([3]), new Dense(2)]);
    const path = join(dir, 'plain.keras');
    await model.save(path);
    expect('compile_config' in (await readModelFile(path)).config).toBe(false);
    model.dispose();
  });

  it('model.saveWeights / loadWeights round-trip, also from a .keras file', async () => {
    const x = Input([3]);
    const model = new Model({ inputs: x, outputs: new Dense(2).apply(new Dense(4).apply(x)) });
    const weightsPath = join(dir, 'fn.weights.h5');
    const kerasPath = join(dir, 'fn.keras');
    await model.saveWeights(weightsPath);
    await model.save(kerasPath);
    const input = tf.randomNormal([2, 3]);
    const expected = predictValues(model, input);
    for (const path of [weightsPath, kerasPath]) {
      const y = Input([3]);
      const fresh = new Model({ inputs: y, outputs: new Dense(2).apply(new Dense(4).apply(y)) });
      await fresh.loadWeights(path);
      expect(predictValues(fresh, input)).toEqual(expected);
      fresh.dispose();
    }
    input.dispose();
    model.dispose();
  });
});
