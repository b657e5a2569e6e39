/**
 * The layers of the core, activations, reshaping and merging groups built from the layer
 * configs of real model files (Keras 3 `.keras`, Keras 2 JSON / HDF5, TF.js model.json).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRawModelFile, type JsonObject, type JsonValue } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { configToCamel } from '../../utils/config-case.js';
import { layerFromConfig } from '../../engine/registry.js';
import '../activations/index.js';
import '../merging/index.js';
import '../reshaping/index.js';
import './index.js';

const REAL_MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/fixtures/real-models');
const HAVE_REAL_MODELS = existsSync(REAL_MODELS);
const MINE = new Set([
  'Dense',
  'Embedding',
  'Identity',
  'Rescaling',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'PReLU',
  'Softmax',
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'ZeroPadding1D',
  'ZeroPadding2D',
  'UpSampling1D',
  'UpSampling2D',
  'Cropping1D',
  'Cropping2D',
  'Cropping3D',
  'ZeroPadding3D',
  'UpSampling3D',
  'Dot',
  'Concatenate',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
]);

function layerConfigs(
  value: JsonValue,
  found: { className: string; config: JsonObject }[] = [],
): { className: string; config: JsonObject }[] {
  if (Array.isArray(value)) {
    for (const v of value) layerConfigs(v, found);
  } else if (value !== null && typeof value === 'object') {
    const className = value['class_name'];
    const config = value['config'];
    if (
      typeof className === 'string' &&
      MINE.has(className) &&
      config !== null &&
      typeof config === 'object' &&
      !Array.isArray(config)
    ) {
      found.push({ className, config });
    }
    for (const v of Object.values(value)) layerConfigs(v, found);
  }
  return found;
}

/** The config without what Keras adds for its own bookkeeping. */
function withoutSharedIds(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'shared_object_id')
        .map(([k, v]) => [k, withoutSharedIds(v)]),
    );
  }
  return value;
}

describe.skipIf(!HAVE_REAL_MODELS)(`layer configs of real model files (${REAL_MODELS}; skipped when absent)`, () => {
  it('a Keras 3.10 .keras file: Flatten and Dense configs come back exactly as Keras wrote them', async () => {
    const file = await readRawModelFile(resolve(REAL_MODELS, 'fashion_mnist_cnn.keras'));
    const configs = layerConfigs(file.config);
    expect(configs.map((c) => c.className)).toEqual(['Flatten', 'Dense', 'Dense']);
    for (const { className, config } of configs) {
      const layer = layerFromConfig(className, configToCamel(config));
      expect(layer.kerasConfig()).toEqual(withoutSharedIds(config));
    }
  });

  it.each([
    'dl4j_keras2_mlp_config.json',
    'hls4ml_KERAS_conv2d_model.json',
    'dl4j_wgan_discriminator.h5',
    'tfjs_layers_model/model.json',
  ])('Keras 2 / TF.js configs load: %s', async (name) => {
    const file = await readRawModelFile(resolve(REAL_MODELS, name));
    const configs = layerConfigs(file.config);
    expect(configs.length).toBeGreaterThan(0);
    for (const { className, config } of configs) {
      const layer = layerFromConfig(className, configToCamel(config));
      const written = layer.kerasConfig();
      // Every option the file sets to a plain value is kept.
      for (const key of ['units', 'activation', 'use_bias', 'input_dim', 'output_dim', 'data_format', 'axis']) {
        if (key in config && config[key] !== null) expect(written[key], `${className}.${key}`).toEqual(config[key]);
      }
      if (className === 'LeakyReLU')
        expect(written['negative_slope']).toBe(config['alpha'] ?? config['negative_slope']);
    }
  });
});
