import { describe, expect, it } from 'vitest';
import { fixtures, haveFixtures, readJson, readKerasZipConfig } from '../real-model-fixtures.test-suite.js';
import { decodeModelConfig } from '../codecs/detect.js';
import type { Shape } from '../ir.js';
import { producersOf } from '../walk.js';
import { analyzeModelShapes, inferModelShapes } from './model.js';

const outputOf = (shapes: Map<string, Shape[][]>, layer: string): Shape | undefined => shapes.get(layer)?.[0]?.[0];

describe.skipIf(!haveFixtures)(`shapes of real models (skipped: ${fixtures} not found)`, () => {
  it('fashion_mnist_cnn.keras: every layer input matches the build_config Keras recorded', () => {
    const { model } = decodeModelConfig(readKerasZipConfig('fashion_mnist_cnn.keras'));
    const shapes = inferModelShapes(model);
    let checked = 0;
    for (const layer of model.layers) {
      const recorded = layer.buildConfig?.['input_shape'];
      if (recorded === undefined) continue;
      const [producer] = producersOf(model, layer.name, 0);
      expect(producer, layer.name).toBeDefined();
      expect(outputOf(shapes, producer?.ref.layer ?? ''), `input of ${layer.name}`).toEqual(recorded);
      checked++;
    }
    expect(checked).toBe(5);
    expect(outputOf(shapes, 'conv2d')).toEqual([null, 26, 26, 32]);
    expect(outputOf(shapes, 'max_pooling2d')).toEqual([null, 13, 13, 32]);
    expect(outputOf(shapes, 'conv2d_1')).toEqual([null, 11, 11, 64]);
    expect(outputOf(shapes, 'dense_1')).toEqual([null, 10]);
  });

  it('Keras 2 and TF.js Sequentials without an InputLayer take the first layer batch_input_shape', () => {
    const hls = inferModelShapes(decodeModelConfig(readJson('hls4ml_KERAS_conv2d_model.json')).model);
    expect([...hls.entries()].map(([name, perNode]) => [name, perNode[0]?.[0]])).toEqual([
      ['conv2d_1', [null, 8, 8, 2]],
      ['dropout_1', [null, 8, 8, 2]],
      ['flatten_1', [null, 128]],
      ['dense_1', [null, 10]],
    ]);
    const mlp = inferModelShapes(decodeModelConfig(readJson('dl4j_keras2_mlp_config.json')).model);
    expect(outputOf(mlp, 'batchnormalization_1')).toEqual([null, 3]);
    expect(outputOf(mlp, 'dense_2')).toEqual([null, 2]);
    expect(outputOf(mlp, 'activation_2')).toEqual([null, 3]);
    const tfjs = analyzeModelShapes(decodeModelConfig(readJson('tfjs_layers_model/model.json')).model);
    expect(tfjs.errors).toEqual([]);
    expect(outputOf(tfjs.shapes, 'embedding_Embedding2')).toEqual([null, 10, 20]);
    expect(outputOf(tfjs.shapes, 'gru_GRU1')).toEqual([null, 4]);
  });
});
