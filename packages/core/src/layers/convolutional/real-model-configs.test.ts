/**
 * The convolution, pooling and normalization layers rebuild from the layer configs of real
 * Keras files; for Keras 3 files `kerasConfig()` reproduces the stored config exactly.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRawModelFile, type JsonObject } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { configToCamel } from '../../utils/config-case.js';
import { layerFromConfig } from '../../engine/registry.js';
import '../normalization/index.js';
import '../pooling/index.js';
import './index.js';

const folder = fileURLToPath(new URL('../../../../../../shared/fixtures/real-models/', import.meta.url));
const present = existsSync(folder);
const OWN_CLASSES = new Set([
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'LayerNormalization',
]);

interface LayerEntry {
  class_name: string;
  config: JsonObject;
}

function layersOf(config: JsonObject): LayerEntry[] {
  const inner = (config['config'] ?? config['model_config']) as JsonObject | LayerEntry[] | undefined;
  if (Array.isArray(inner)) return inner;
  if (inner && Array.isArray(inner['layers'])) return inner['layers'] as unknown as LayerEntry[];
  if (inner && 'config' in inner) return layersOf(inner);
  return [];
}

/** Drops Keras's in-file object-sharing ids, which are not part of a layer's config. */
function withoutSharedIds(value: unknown): unknown {
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

describe.skipIf(!present)(present ? 'real model configs' : `real model configs (skipped: ${folder} not found)`, () => {
  it('reproduces the Keras 3 configs of fashion_mnist_cnn.keras exactly', async () => {
    const raw = await readRawModelFile(`${folder}fashion_mnist_cnn.keras`);
    const own = layersOf(raw.config).filter((l) => OWN_CLASSES.has(l.class_name));
    expect(own.map((l) => l.class_name)).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D']);
    for (const entry of own) {
      const layer = layerFromConfig(entry.class_name, configToCamel(entry.config));
      expect(layer.kerasConfig()).toEqual(withoutSharedIds(entry.config));
    }
  });

  it.each([
    ['hls4ml_KERAS_conv2d_model.json', ['Conv2D']],
    [
      'dl4j_wgan_discriminator.h5',
      ['Conv2D', 'Conv2D', 'BatchNormalization', 'Conv2D', 'BatchNormalization', 'Conv2D'],
    ],
    ['dl4j_cnn2d_64.h5', ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'GlobalMaxPooling2D']],
    ['dl4j_keras2_mlp_config.json', ['BatchNormalization']],
  ])('builds the layers of the Keras 2 file %s with their settings', async (file, expected) => {
    const raw = await readRawModelFile(`${folder}${file}`);
    const own = layersOf(raw.config).filter((l) => OWN_CLASSES.has(l.class_name));
    expect(own.map((l) => l.class_name)).toEqual(expected);
    for (const entry of own) {
      const config = layerFromConfig(entry.class_name, configToCamel(entry.config)).kerasConfig();
      for (const key of [
        'filters',
        'kernel_size',
        'strides',
        'padding',
        'momentum',
        'epsilon',
        'center',
        'scale',
        'activation',
      ]) {
        if (key in entry.config) expect([key, config[key]]).toEqual([key, entry.config[key]]);
      }
    }
  });
});
