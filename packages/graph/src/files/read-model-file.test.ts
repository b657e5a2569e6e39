import { describe, expect, it } from 'vitest';
import { readModelFile } from './read-model-file.js';
import { HAVE_REAL_MODELS, REAL_MODELS_DIR, realModel } from './test-paths.test-suite.js';
import type { WeightEntry } from './types.js';

const classes = (layers: { className: string }[]): string[] => layers.map((layer) => layer.className);
const shapeOf = (weights: WeightEntry[], path: string): number[] | undefined =>
  weights.find((w) => w.path === path)?.shape;

describe.skipIf(!HAVE_REAL_MODELS)(`real model files (needs ${REAL_MODELS_DIR}; skipped when absent)`, () => {
  it('reads the Keras 3.10 fashion_mnist_cnn.keras zip with its Keras 3 weight layout', async () => {
    const file = await readModelFile(realModel('fashion_mnist_cnn.keras'));
    expect(file.format).toBe('keras-zip');
    expect(file.metadata?.['keras_version']).toBe('3.10.0');
    expect(file.model.className).toBe('Sequential');
    expect(file.model.layers.map((l) => l.name)).toContain('conv2d_1');
    expect(classes(file.model.layers)).toEqual(
      expect.arrayContaining(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']),
    );
    const weights = await file.weights!();
    // 2 Conv2D + 2 Dense, kernel + bias each; optimizer state is left out.
    expect(weights).toHaveLength(8);
    expect(weights.every((w) => w.path.startsWith('layers/'))).toBe(true);
    expect(shapeOf(weights, 'layers/conv2d/vars/0')).toEqual([3, 3, 1, 32]);
    expect(shapeOf(weights, 'layers/conv2d_1/vars/0')).toEqual([3, 3, 32, 64]);
    expect(shapeOf(weights, 'layers/dense/vars/0')).toEqual([1600, 64]);
    expect(shapeOf(weights, 'layers/dense_1/vars/1')).toEqual([10]);
    // Keras >= 3.6 tags each vars group with the layer's name.
    expect(weights.find((w) => w.path === 'layers/dense_1/vars/0')?.layerName).toBe('dense_1');
    const kernel = weights.find((w) => w.path === 'layers/dense/vars/0')!;
    expect(kernel.data).toBeInstanceOf(Float32Array);
    expect(kernel.data.length).toBe(1600 * 64);
    expect(kernel.data.some((v) => v !== 0)).toBe(true);
  });

  it.each([
    ['dl4j_mlp_0.h5', 'Model', ['InputLayer', 'Dense', 'Activation', 'Dropout'], { 'dense/kernel:0': [3, 6] }],
    ['dl4j_cnn2d_64.h5', 'Model', ['Conv2D', 'SpatialDropout2D'], { 'conv2d_24/kernel:0': [3, 3, 3, 4] }],
    [
      'dl4j_simple_lstm_tf_keras_2_model.h5',
      'Sequential',
      ['LSTM', 'Dense'],
      { 'lstm_1/kernel:0': [1, 200], 'lstm_1/recurrent_kernel:0': [50, 200] },
    ],
    [
      'dl4j_wgan_discriminator.h5',
      'Sequential',
      ['Conv2D', 'LeakyReLU', 'Dropout', 'BatchNormalization'],
      { 'batch_normalization_1/moving_variance:0': [32] },
    ],
  ])(
    'reads legacy %s (model_config attribute, model_weights/<layer> with weight_names)',
    async (name, modelClass, expected, shapes) => {
      const file = await readModelFile(realModel(name));
      expect(file.format).toBe('keras-h5');
      expect(file.model.className).toBe(modelClass);
      expect(classes(file.model.layers)).toEqual(expect.arrayContaining(expected));
      expect(typeof file.metadata?.['keras_version']).toBe('string');
      const weights = await file.weights!();
      for (const [path, shape] of Object.entries(shapes)) expect(shapeOf(weights, path)).toEqual(shape);
      for (const weight of weights) {
        expect(weight.data.length).toBe(weight.shape.reduce((a, b) => a * b, 1));
        expect(file.model.layers.map((l) => l.name)).toContain(weight.layerName);
      }
    },
  );

  it('reads the LSTM training_config as metadata', async () => {
    const file = await readModelFile(realModel('dl4j_simple_lstm_tf_keras_2_model.h5'));
    expect(file.metadata?.['training_config']).toMatchObject({ loss: 'mse' });
  });

  it('reads the hls4ml Keras 2 JSON with its sibling _weights.h5', async () => {
    const file = await readModelFile(realModel('hls4ml_KERAS_conv2d_model.json'));
    expect(file.format).toBe('keras2-json');
    expect(classes(file.model.layers)).toEqual(['Conv2D', 'Dropout', 'Flatten', 'Dense']);
    const weights = await file.weights!();
    expect(weights.map((w) => w.path)).toEqual([
      'conv2d_1/kernel:0',
      'conv2d_1/bias:0',
      'dense_1/kernel:0',
      'dense_1/bias:0',
    ]);
    expect(shapeOf(weights, 'conv2d_1/kernel:0')).toEqual([3, 3, 1, 2]);
    expect(shapeOf(weights, 'dense_1/kernel:0')).toEqual([128, 10]);
  });

  it('reads the dl4j Keras 2 JSON (no weights beside it)', async () => {
    const file = await readModelFile(realModel('dl4j_keras2_mlp_config.json'));
    expect(file.format).toBe('keras2-json');
    expect(classes(file.model.layers)).toEqual(
      expect.arrayContaining(['Dense', 'Activation', 'Dropout', 'BatchNormalization']),
    );
    expect(file.weights).toBeUndefined();
  });

  it('reads the TF.js layers model.json and its weights.bin shard', async () => {
    const file = await readModelFile(realModel('tfjs_layers_model/model.json'));
    expect(file.format).toBe('tfjs-model-json');
    expect(classes(file.model.layers)).toEqual(expect.arrayContaining(['Embedding', 'GRU']));
    const weights = await file.weights!();
    expect(weights.map((w) => [w.path, w.shape])).toEqual([
      ['embedding_Embedding2/embeddings', [100, 20]],
      ['gru_GRU1/kernel', [20, 12]],
      ['gru_GRU1/recurrent_kernel', [4, 12]],
      ['gru_GRU1/bias', [12]],
    ]);
    // 9200 bytes of float32 = 2300 values in the shard.
    expect(weights.reduce((sum, w) => sum + w.data.length, 0)).toBe(2300);
  });

  it('refuses the weights-only hls4ml .h5 with a message saying what it is', async () => {
    await expect(readModelFile(realModel('hls4ml_KERAS_conv2d_model_weights.h5'))).rejects.toThrow(
      /holds only weights/,
    );
  });
});
