/**
 * Loading real model files that Keras, tf.keras and TF.js wrote (../shared/fixtures/real-models,
 * never copied into the repo). Skips visibly when the folder is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readModelFile } from '@strata/graph';
import { tf } from '@strata/core';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../packages/core/src/layers/index.js';
import type { Model } from '../../../packages/core/src/engine/model.js';
import {
  kerasConfigOf,
  loadModel,
  loadModelWeights,
  modelFromKerasJson,
  saveModel,
} from '../../../packages/core/src/saving/index.js';

const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures/real-models');
const present = existsSync(FIXTURES);
const fixture = (name: string): string => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'strata-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function predict(model: Model, x: tf.Tensor): number[] {
  return tf.tidy(() => Array.from((model.apply(x) as tf.Tensor).dataSync()));
}

function withoutSharingIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharingIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'shared_object_id')
      .map(([k, v]) => [k, withoutSharingIds(v)]),
  );
}

function paramCount(model: Model): number {
  return model.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** Every stored tensor went into some variable: the sorted per-tensor sums agree. */
async function expectSameWeights(model: Model, path: string): Promise<void> {
  const file = await readModelFile(path);
  const entries = file.weights ? await file.weights() : [];
  const key = (shape: number[], data: ArrayLike<number>): string =>
    `${shape.join('x')}:${Array.from(data)
      .reduce((a, b) => a + b, 0)
      .toFixed(3)}`;
  const stored = entries.map((e) => key(e.shape, e.data)).sort();
  const loaded = model.weights.map((w) => key(w.shape, w.value.dataSync())).sort();
  expect(loaded).toEqual(stored);
}

async function fileParamCount(path: string): Promise<number> {
  const file = await readModelFile(path);
  const entries = file.weights ? await file.weights() : [];
  return entries.reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0);
}

describe.skipIf(!present)('real model files (../shared/fixtures/real-models)', () => {
  it('fashion_mnist_cnn.keras (Keras 3.10): loads, param count matches the file, predicts, saves and reloads identically', async () => {
    const path = fixture('fashion_mnist_cnn.keras');
    const model = await loadModel(path);
    // compile_config (Adam, sparse_categorical_crossentropy, accuracy) is replayed through compile().
    expect(model.compiled).toBe(true);
    expect(model.optimizer.className).toBe('Adam');
    expect(model.loss).toBe('sparse_categorical_crossentropy');
    const summary: string[] = [];
    model.summary((line) => summary.push(line));
    const expected = await fileParamCount(path);
    expect(paramCount(model)).toBe(expected);
    expect(summary.join('\n')).toContain(`Total params: ${expected.toLocaleString('en-US')}`);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
    const out = predict(model, x);
    expect(out).toHaveLength(20);
    await expectSameWeights(model, path);
    // softmax head: each row sums to 1
    expect(out.slice(0, 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The config Strata writes is the one Keras wrote (shared_object_id is Keras's object-sharing bookkeeping).
    const original = (await readModelFile(path)).config;
    expect(withoutSharingIds({ ...kerasConfigOf(model), compile_config: null })).toEqual(
      withoutSharingIds({ ...original, compile_config: null }),
    );
    const copyPath = join(dir, 'fashion.keras');
    await saveModel(model, copyPath);
    const reloaded = await loadModel(copyPath);
    expect(predict(reloaded, x)).toEqual(out);
    x.dispose();
    model.dispose();
    reloaded.dispose();
  });

  it('tfjs_layers_model/model.json (TF.js layers format, Embedding + GRU): loads with its weights by name', async () => {
    const path = fixture('tfjs_layers_model/model.json');
    const model = await loadModel(path);
    const file = await readModelFile(path);
    const entries = await file.weights!();
    expect(paramCount(model)).toBe(entries.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0));
    await expectSameWeights(model, path);
    const embeddings = entries.find((e) => e.path.endsWith('/embeddings'))!;
    const loaded = model.layers.find((l) => l.className === 'Embedding')!.weights[0]!.value.dataSync();
    expect(Array.from(loaded.slice(0, 5))).toEqual(Array.from(embeddings.data.slice(0, 5)));
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8, 9, 0]], [1, 10], 'int32');
    expect(predict(model, x)).toHaveLength(4);
    x.dispose();
    model.dispose();
  });

  it.each(['dl4j_mlp_0.h5', 'dl4j_cnn2d_64.h5', 'dl4j_simple_lstm_tf_keras_2_model.h5', 'dl4j_wgan_discriminator.h5'])(
    '%s (Keras 2 .h5): loads with every stored weight in place',
    async (name) => {
      const path = fixture(name);
      const baseline = tf.memory().numTensors;
      const model = await loadModel(path);
      expect(paramCount(model)).toBe(await fileParamCount(path));
      await expectSameWeights(model, path);
      model.dispose();
      // No tensor outlives the model (compiled optimizer state included).
      expect(tf.memory().numTensors).toBe(baseline);
    },
  );

  it('a Keras 2 config with a layer Strata does not have fails with an error naming the layer and class', async () => {
    // Keras 2.0 wrote this Sequential's config as a bare list of layers.
    const config = JSON.parse(readFileSync(fixture('hls4ml_KERAS_conv2d_model.json'), 'utf8')) as {
      config: { class_name: string; config: { name: string } }[];
    };
    const layer = config.config.find((l) => l.class_name === 'Conv2D')!;
    layer.class_name = 'ConvLSTM2D';
    const path = join(dir, 'unsupported.json');
    writeFileSync(path, JSON.stringify(config));
    await expect(loadModel(path)).rejects.toThrow(
      new RegExp(`Layer "${layer.config.name}" has class "ConvLSTM2D", which is not registered`),
    );
  });

  it('hls4ml KERAS_conv2d_model.json + _weights.h5 (Keras 2 config + weights-only h5)', async () => {
    const path = fixture('hls4ml_KERAS_conv2d_model.json');
    const model = await loadModel(path);
    expect(paramCount(model)).toBe(await fileParamCount(path));
    await expectSameWeights(model, path);
    const again = modelFromKerasJson((await readModelFile(path)).config);
    await loadModelWeights(again, fixture('hls4ml_KERAS_conv2d_model_weights.h5'));
    const shape = (model.inputs[0]!.shape as number[]).map((d) => d ?? 1);
    const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
    expect(predict(again, x)).toEqual(predict(model, x));
    x.dispose();
    model.dispose();
    again.dispose();
  });

  it('dl4j_keras2_mlp_config.json (Keras 2.0.6 to_json, Sequential as a bare list) builds', () => {
    const result = modelFromKerasJson(readFileSync(fixture('dl4j_keras2_mlp_config.json'), 'utf8'));
    const config = JSON.parse(readFileSync(fixture('dl4j_keras2_mlp_config.json'), 'utf8')) as {
      config: { config: { name: string } }[];
    };
    expect(result.layers.map((l) => l.name)).toEqual(config.config.map((l) => l.config.name));
    result.dispose();
  });
});
if (!present) {
  describe('real model files', () => {
    it(`skipped: ${FIXTURES} is absent (a fresh clone); CI has it`, () => expect(present).toBe(false));
  });
}
