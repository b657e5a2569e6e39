import { describe, expect, it } from 'vitest';
import { loadModel, modelFromKerasJson } from './index.js';

const keras1Json = JSON.stringify({
  class_name: 'Sequential',
  config: [
    {
      class_name: 'Dense',
      config: {
        name: 'dense_1',
        output_dim: 4,
        init: 'glorot_uniform',
        activation: 'relu',
        bias: true,
        input_dim: 3,
        batch_input_shape: [null, 3],
        input_dtype: 'float32',
      },
    },
  ],
});

describe('Keras 1 files are refused with an error that says Keras 1', () => {
  it('model JSON: names the layer and its Keras 1 keys, not "units must be a positive integer"', () => {
    expect(() => modelFromKerasJson(keras1Json)).toThrow(
      /written by Keras 1 .*layer "dense_1" \(Dense\).*output_dim \(Keras 2: units\).*load it with Keras 2/,
    );
    expect(() => modelFromKerasJson(keras1Json)).not.toThrow(/units must be/);
  });

  it('a Keras 1.2.2 .h5 file (graph fixture keras1-mlp.h5): names the file and the version', async () => {
    const path = new URL('../../../graph/src/files/fixtures/keras1-mlp.h5', import.meta.url).pathname;
    await expect(loadModel(path)).rejects.toThrow(
      /keras1-mlp\.h5: this model was written by Keras 1 \(keras_version "1\.2\.2"/,
    );
  });
});
