import { describe, expect, it } from 'vitest';
import { fixtures, haveFixtures, readJson, readKerasZipConfig } from '../real-model-fixtures.test-suite.js';
import type { JsonObject } from '../ir.js';
import { decodeModelConfig } from './detect.js';
import { decodeKeras2Json, encodeKeras2Json } from './keras2.js';
import { decodeKeras3Config, encodeKeras3Config } from './keras3.js';
import { decodeTfjsModelJson, encodeTfjsModelTopology } from './tfjs.js';

describe.skipIf(!haveFixtures)(`real model files (skipped: ${fixtures} not found)`, () => {
  it('Keras 3 fashion_mnist_cnn.keras config.json round-trips and chains the Sequential', () => {
    const json = readKerasZipConfig('fashion_mnist_cnn.keras');
    const ir = decodeKeras3Config(json);
    expect(ir.className).toBe('Sequential');
    expect(ir.name).toBe('sequential');
    expect(ir.layers.map((l) => l.name)).toEqual([
      'input_layer',
      'conv2d',
      'max_pooling2d',
      'conv2d_1',
      'max_pooling2d_1',
      'flatten',
      'dropout',
      'dense',
      'dense_1',
    ]);
    expect(ir.inputs).toEqual([{ layer: 'input_layer', node: 0, index: 0 }]);
    expect(ir.outputs).toEqual([{ layer: 'dense_1', node: 0, index: 0 }]);
    expect(ir.layers[1]?.nodes).toEqual([{ inputs: [{ layer: 'input_layer', node: 0, index: 0 }] }]);
    expect(ir.layers[1]?.module).toBe('keras.layers');
    expect(ir.layers[1]?.registeredName).toBeNull();
    expect(ir.compileConfig?.['loss']).toBe('sparse_categorical_crossentropy');
    expect(ir.extraConfig?.['build_input_shape']).toEqual([null, 28, 28, 1]);
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
    expect(decodeModelConfig(json).format).toBe('keras3');
  });

  it('Keras 2 list-form Sequential (dl4j_keras2_mlp_config.json) round-trips', () => {
    const json = readJson('dl4j_keras2_mlp_config.json');
    const ir = decodeKeras2Json(json);
    expect(ir.layout?.sequentialAsList).toBe(true);
    expect(ir.layers).toHaveLength(8);
    expect(ir.inputs).toEqual([]);
    expect(ir.layers[0]?.nodes).toEqual([{ inputs: [] }]);
    expect(ir.layers[1]?.nodes[0]?.inputs).toEqual([{ layer: 'dense_1', node: 0, index: 0 }]);
    expect(encodeKeras2Json(ir)).toStrictEqual(json);
    expect(decodeModelConfig(json).format).toBe('keras2');
  });

  it('Keras 2 hls4ml conv2d model round-trips', () => {
    const json = readJson('hls4ml_KERAS_conv2d_model.json');
    const ir = decodeKeras2Json(json);
    expect(ir.layers.map((l) => l.className)).toEqual(['Conv2D', 'Dropout', 'Flatten', 'Dense']);
    expect(ir.layout?.topLevel).toEqual({ backend: 'tensorflow', keras_version: '2.0.0' });
    expect(encodeKeras2Json(ir)).toStrictEqual(json);
    expect(decodeModelConfig(json).format).toBe('keras2');
  });

  it('TF.js layers model.json decodes and its topology round-trips', () => {
    const json = readJson('tfjs_layers_model/model.json');
    const ir = decodeTfjsModelJson(json);
    expect(ir.name).toBe('sequential_5');
    expect(ir.layers.map((l) => l.className)).toEqual(['Embedding', 'GRU']);
    expect(encodeTfjsModelTopology(ir)).toStrictEqual(json['modelTopology']);
    expect(decodeTfjsModelJson(json['modelTopology'] as JsonObject)).toEqual(ir);
    expect(decodeModelConfig(json).format).toBe('tfjs');
    expect(decodeModelConfig(json['modelTopology'] as JsonObject).format).toBe('tfjs');
  });
});
