/**
 * Parameter counts Keras prints for its reference models (keras.io examples), checked on
 * models built in Strata and on the same models after a save → load round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as layers from '../../../packages/core/src/layers/index.js';
import { Input } from '../../../packages/core/src/engine/input-layer.js';
import type { Layer } from '../../../packages/core/src/engine/layer.js';
import { layerFromConfig } from '../../../packages/core/src/engine/registry.js';
import { Sequential } from '../../../packages/core/src/engine/sequential.js';
import { loadModel, modelFromKerasJson, modelToKerasJson, saveModel } from '../../../packages/core/src/saving/index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-params-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summaryLines(model: Sequential): string[] {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines;
}

async function expectSameAfterSave(model: Sequential, name: string): Promise<void> {
  const path = join(dir, `${name}.keras`);
  await saveModel(model, path);
  const loaded = await loadModel(path);
  expect(loaded.countParams()).toBe(model.countParams());
  expect(modelToKerasJson(loaded)).toBe(modelToKerasJson(model));
  expect(modelFromKerasJson(modelToKerasJson(model)).countParams()).toBe(model.countParams());
  loaded.dispose();
}

describe('Keras parameter counts', () => {
  it('MNIST convnet (keras.io/examples/vision/mnist_convnet): 34,826 params', async () => {
    const dropout: Layer = layerFromConfig('Dropout', { rate: 0.5 });
    const model = new Sequential([
      Input([28, 28, 1]),
      new layers.Conv2D(32, { kernelSize: [3, 3], activation: 'relu' }),
      layerFromConfig('MaxPooling2D', { poolSize: [2, 2] }),
      new layers.Conv2D(64, { kernelSize: [3, 3], activation: 'relu' }),
      layerFromConfig('MaxPooling2D', { poolSize: [2, 2] }),
      new layers.Flatten(),
      dropout,
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    expect(model.countParams()).toBe(34_826);
    // Keras: "Total params: 34,826 (136.04 KB)".
    expect(summaryLines(model)).toContain(' Total params: 34,826 (136.04 KB)');
    await expectSameAfterSave(model, 'convnet');
    model.dispose();
  });

  it('MNIST MLP (Keras mnist_mlp example: 512-512-10 with Dropout 0.2): 669,706 params', async () => {
    const model = new Sequential([
      Input([784]),
      new layers.Dense(512, { activation: 'relu' }),
      new layers.Dropout(0.2),
      new layers.Dense(512, { activation: 'relu' }),
      new layers.Dropout(0.2),
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    expect(model.countParams()).toBe(669_706);
    expect(summaryLines(model)).toContain(' Total params: 669,706 (2.55 MB)');
    await expectSameAfterSave(model, 'mlp');
    model.dispose();
  });
});
