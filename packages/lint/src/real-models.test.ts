import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeModelConfig,
  encodeKeras3Config,
  decodeKeras3Config,
  readModelFile,
  type JsonObject,
  type ModelIR,
} from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { applyFixes } from './fixes.js';
import { lintModel } from './engine.js';
import type { LintConfig } from './types.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(repoRoot, '../shared/fixtures/real-models');
const haveFixtures = existsSync(fixtures);

async function load(name: string): Promise<ModelIR> {
  return (await readModelFile(join(fixtures, name))).model;
}

function lint(model: ModelIR, source: string, config?: LintConfig): string[] {
  return lintModel(model, { source, ...(config ? { config } : {}) }).findings.map((f) => `${f.ruleId}@${f.layer.name}`);
}

describe.skipIf(!haveFixtures)(`lint on real model files (skipped: ${fixtures} not found)`, () => {
  it('dl4j Keras 2 MLP config (decoded with decodeModelConfig): Dropout → BatchNormalization only', () => {
    const json = JSON.parse(readFileSync(join(fixtures, 'dl4j_keras2_mlp_config.json'), 'utf8')) as JsonObject;
    const { format, model } = decodeModelConfig(json);
    expect(format).toBe('keras2');
    expect(lint(model, 'dl4j_keras2_mlp_config.json')).toEqual(['no-dropout-before-batchnorm@dropout_1']);
    // strict adds the SELU initialiser hint for dense_2 (VarianceScaling fan_avg uniform ≠ LeCun normal).
    expect(lint(model, 'x', { extends: 'strict' })).toEqual([
      'no-dropout-before-batchnorm@dropout_1',
      'selu-requires-lecun-normal@dense_2',
    ]);
  });

  it('dl4j WGAN discriminator (.h5): conv-map dropouts, Dropout → BN, trailing dropout', async () => {
    const model = await load('dl4j_wgan_discriminator.h5');
    expect(lint(model, 'wgan.h5')).toEqual([
      'no-dropout-on-conv-feature-maps@dropout_1',
      'no-dropout-on-conv-feature-maps@dropout_2',
      'no-dropout-before-batchnorm@dropout_2',
      'no-dropout-on-conv-feature-maps@dropout_3',
      'no-dropout-before-batchnorm@dropout_3',
      'no-dropout-on-conv-feature-maps@dropout_4',
      'no-trailing-dropout@dropout_4',
    ]);
  });

  it('unsafe fixes on the WGAN discriminator give SpatialDropout2D layers that survive a Keras 3 round trip', async () => {
    const model = await load('dl4j_wgan_discriminator.h5');
    const result = lintModel(model, { source: 'wgan.h5' });
    const fixed = applyFixes(model, result.findings, { unsafe: true });
    expect(fixed.layers.filter((l) => l.className === 'SpatialDropout2D').map((l) => l.name)).toEqual([
      'dropout_1',
      'dropout_2',
      'dropout_3',
      'dropout_4',
    ]);
    const again = decodeKeras3Config(encodeKeras3Config(fixed));
    expect(lint(again, 'wgan-fixed')).not.toContain('no-dropout-on-conv-feature-maps@dropout_1');
    expect(applyFixes(model, result.findings, { unsafe: false }).layers.map((l) => l.className)).toEqual(
      model.layers.map((l) => l.className),
    );
  });

  it('dl4j cnn2d_64 (.h5): SpatialDropout2D after Conv2D is not flagged', async () => {
    const model = await load('dl4j_cnn2d_64.h5');
    expect(model.layers.some((l) => l.className === 'SpatialDropout2D')).toBe(true);
    expect(lint(model, 'cnn2d_64.h5', { extends: 'all' })).toEqual([]);
  });

  it('dl4j mlp_0 (.h5): Dropout after the sigmoid output is an error', async () => {
    const result = lintModel(await load('dl4j_mlp_0.h5'), { source: 'mlp_0.h5' });
    expect(result.findings.map((f) => [f.ruleId, f.layer.name, f.severity])).toEqual([
      ['no-dropout-after-probabilities', 'dropout', 'error'],
    ]);
  });

  it('hls4ml conv2d (Keras 2 JSON): Conv2D → Dropout suggests SpatialDropout2D', async () => {
    const result = lintModel(await load('hls4ml_KERAS_conv2d_model.json'), { source: 'hls4ml.json' });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['no-dropout-on-conv-feature-maps']);
    expect(result.findings[0]!.hint).toContain("SpatialDropout2D(rate, data_format='channels_last')");
  });

  it('Keras 2 LSTM (.h5) and TF.js GRU: hard_sigmoid rules out cuDNN (info)', async () => {
    expect(lint(await load('dl4j_simple_lstm_tf_keras_2_model.h5'), 'lstm.h5')).toEqual([
      'rnn-cudnn-ineligible@lstm_1',
    ]);
    expect(lint(await load('tfjs_layers_model/model.json'), 'model.json')).toEqual(['rnn-cudnn-ineligible@gru_GRU1']);
  });

  it('Keras 3 fashion-MNIST CNN (.keras, the MNIST-convnet pattern) raises nothing, even under all', async () => {
    const model = await load('fashion_mnist_cnn.keras');
    expect(lint(model, 'fashion_mnist_cnn.keras')).toEqual([]);
    expect(lint(model, 'fashion_mnist_cnn.keras', { extends: 'all' })).toEqual([]);
  });
});
