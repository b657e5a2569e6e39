/**
 * A functional model config exactly as Keras 3.10 writes it (`model.to_json()` / config.json):
 * key order, `keras.src.models.functional` + `registered_name: "Functional"`,
 * `build_config: {input_shape: null}` for the model, flat `input_layers`/`output_layers`
 * triples for single tensors, `__keras_tensor__` args, no build_config on MaxPooling2D
 * (built at init). Loading it and writing it back must reproduce it byte for byte.
 */
import { describe, expect, it } from 'vitest';
import '../../../packages/core/src/layers/index.js';
import { modelFromKerasJson, modelToKerasJson } from '../../../packages/core/src/saving/index.js';

const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (className: string, config: Record<string, unknown> = {}) => ({
  module: 'keras.initializers',
  class_name: className,
  config,
  registered_name: null,
});
const tensor = (shape: (number | null)[], layer: string) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});
const conv = (
  name: string,
  filters: number,
  kernel: number,
  activation: string,
  kernelInit: object,
  inputShape: (number | null)[],
  from: string,
) => ({
  module: 'keras.layers',
  class_name: 'Conv2D',
  config: {
    name,
    trainable: true,
    dtype,
    filters,
    kernel_size: [kernel, kernel],
    strides: [1, 1],
    padding: 'same',
    data_format: 'channels_last',
    dilation_rate: [1, 1],
    groups: 1,
    activation,
    use_bias: true,
    kernel_initializer: kernelInit,
    bias_initializer: init('Zeros'),
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  },
  registered_name: null,
  build_config: { input_shape: inputShape },
  name,
  inbound_nodes: [{ args: [tensor(inputShape, from)], kwargs: {} }],
});

const KERAS_310_FUNCTIONAL = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'unet_tiny',
    trainable: true,
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, 8, 8, 1], dtype: 'float32', sparse: false, ragged: false, name: 'image' },
        registered_name: null,
        name: 'image',
        inbound_nodes: [],
      },
      conv('conv_a', 4, 3, 'relu', init('HeNormal', { seed: null }), [null, 8, 8, 1], 'image'),
      {
        module: 'keras.layers',
        class_name: 'MaxPooling2D',
        config: {
          name: 'pool',
          trainable: true,
          dtype,
          pool_size: [2, 2],
          padding: 'valid',
          strides: [2, 2],
          data_format: 'channels_last',
        },
        registered_name: null,
        name: 'pool',
        inbound_nodes: [{ args: [tensor([null, 8, 8, 4], 'conv_a')], kwargs: {} }],
      },
      conv('mask', 1, 1, 'sigmoid', init('GlorotUniform', { seed: null }), [null, 4, 4, 4], 'pool'),
    ],
    input_layers: ['image', 0, 0],
    output_layers: ['mask', 0, 0],
  },
  registered_name: 'Functional',
  build_config: { input_shape: null },
};

describe('Keras 3 functional JSON', () => {
  it('loads a Keras 3.10 functional config and writes it back identically', () => {
    const json = JSON.stringify(KERAS_310_FUNCTIONAL);
    const model = modelFromKerasJson(json);
    expect(model.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      'image:InputLayer',
      'conv_a:Conv2D',
      'pool:MaxPooling2D',
      'mask:Conv2D',
    ]);
    expect(model.countParams()).toBe(3 * 3 * 1 * 4 + 4 + 1 * 1 * 4 * 1 + 1);
    expect(modelToKerasJson(model)).toBe(json);
    model.dispose();
  });
});
