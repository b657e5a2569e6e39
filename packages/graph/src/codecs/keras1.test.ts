import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { readModelFile } from '../files/read-model-file.js';
import { ModelFileError } from '../files/errors.js';
import { decodeModelConfig } from './detect.js';
import { Keras1FormatError } from './keras1.js';

/** Keras 1.2 `model.to_json()` of Sequential([Dense(4, input_dim=3), Dense(2)]). */
const keras1Sequential: JsonObject = {
  class_name: 'Sequential',
  config: [
    {
      class_name: 'Dense',
      config: {
        name: 'dense_1',
        output_dim: 4,
        init: 'glorot_uniform',
        activation: 'relu',
        W_regularizer: null,
        bias: true,
        input_dim: 3,
        batch_input_shape: [null, 3],
        input_dtype: 'float32',
      },
    },
    {
      class_name: 'Dense',
      config: {
        name: 'dense_2',
        output_dim: 2,
        init: 'glorot_uniform',
        activation: 'softmax',
        W_regularizer: null,
        bias: true,
      },
    },
  ],
};

/** Keras 1 functional config with a Convolution2D inside a nested model, no keras_version. */
const keras1Functional: JsonObject = {
  class_name: 'Model',
  config: {
    name: 'model_1',
    layers: [
      {
        name: 'input_1',
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 8, 8, 1], input_dtype: 'float32', sparse: false, name: 'input_1' },
        inbound_nodes: [],
      },
      {
        name: 'block',
        class_name: 'Sequential',
        config: [
          {
            class_name: 'Convolution2D',
            config: {
              name: 'conv',
              nb_filter: 4,
              nb_row: 3,
              nb_col: 3,
              border_mode: 'same',
              subsample: [1, 1],
              dim_ordering: 'tf',
              activation: 'relu',
            },
          },
        ],
        inbound_nodes: [[['input_1', 0, 0]]],
      },
    ],
    input_layers: [['input_1', 0, 0]],
    output_layers: [['block', 1, 0]],
  },
};

describe('Keras 1 model configs', () => {
  it('are refused with an error that says Keras 1, names the layer and keys, and what to do', () => {
    expect(() => decodeModelConfig(keras1Sequential)).toThrow(Keras1FormatError);
    expect(() => decodeModelConfig(keras1Sequential)).toThrow(
      /written by Keras 1 \(layer "dense_1" \(Dense\) has Keras 1 config keys output_dim \(Keras 2: units\), init \(Keras 2: kernel_initializer\).*load it with Keras 2.*save it again/,
    );
    // Found inside a nested model, with no keras_version anywhere.
    expect(() => decodeModelConfig(keras1Functional)).toThrow(
      /layer "input_1" \(InputLayer\) has Keras 1 config keys input_dtype/,
    );
    const withoutInputDtype = JSON.parse(
      JSON.stringify(keras1Functional).replace('"input_dtype"', '"dtype"'),
    ) as JsonObject;
    expect(() => decodeModelConfig(withoutInputDtype)).toThrow(
      /layer "conv" \(Convolution2D\) has Keras 1 config keys nb_filter \(Keras 2: filters\), nb_row.*border_mode \(Keras 2: padding\)/,
    );
  });

  it('a keras_version "1.x" is evidence on its own; Keras 2 names (Embedding output_dim) are not', () => {
    expect(() => decodeModelConfig({ class_name: 'Sequential', config: [], keras_version: '1.2.2' })).toThrow(
      /Keras 1 \(keras_version "1.2.2"\)/,
    );
    const embedding: JsonObject = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          {
            class_name: 'Embedding',
            config: { name: 'emb', input_dim: 10, output_dim: 4, batch_input_shape: [null, 5] },
          },
        ],
      },
      keras_version: '2.2.4',
    };
    expect(decodeModelConfig(embedding).model.layers[0]?.className).toBe('Embedding');
  });

  it('a Keras 1 .h5 file: readModelFile (loader, lint, summary) names the file and says Keras 1', async () => {
    const path = new URL('../files/fixtures/keras1-mlp.h5', import.meta.url).pathname;
    const read = readModelFile(path);
    await expect(read).rejects.toThrow(ModelFileError);
    await expect(readModelFile(path)).rejects.toThrow(
      /keras1-mlp\.h5.*written by Keras 1 \(keras_version "1.2.2"; layer "dense_1" \(Dense\) has Keras 1 config keys output_dim/,
    );
  });
});
