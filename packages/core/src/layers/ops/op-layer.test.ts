/**
 * `keras.ops` calls in functional configs: loading (Keras 3 form and legacy `.h5` form without
 * `module`), computing, the explicit `mask` kwarg, saving back in Keras's form, and errors.
 * Values checked here are computed by hand; whole models are checked against real Keras in
 * tests/conformance/keras-golden/ops.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JsonObject, JsonValue } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { modelFromKerasJson, modelToKerasJson } from '../../saving/keras-json.js';
import { OP_KERNELS } from './op-kernels.js';
import { opClassNames, opLayerClass } from './op-layer.js';

const tensor = (name: string, shape: (number | null)[], dtype = 'float32'): JsonObject => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype, keras_history: [name, 0, 0] },
});
const input = (name: string, shape: (number | null)[], dtype = 'float32'): JsonObject => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: shape, dtype, sparse: false, ragged: false, name },
  registered_name: null,
  name,
  inbound_nodes: [],
});
const op = (
  className: string,
  name: string,
  args: JsonValue[],
  options: JsonObject = {},
  module: string | null = 'keras.src.ops.numpy',
): JsonObject => ({
  ...(module === null ? {} : { module }),
  class_name: className,
  config: { name, ...options },
  ...(module === null ? {} : { registered_name: className }),
  name,
  inbound_nodes: [{ args, kwargs: {} }],
});
const functional = (name: string, layers: JsonObject[], inputs: string[], outputs: string[]): JsonObject => ({
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name,
    trainable: true,
    layers,
    input_layers: inputs.map((n) => [n, 0, 0]),
    output_layers: outputs.length === 1 ? [outputs[0]!, 0, 0] : outputs.map((n) => [n, 0, 0]),
  },
  registered_name: 'Functional',
  build_config: { input_shape: null },
});

describe('keras.ops in functional configs', () => {
  it('computes ops with constants on either side, axis options and several outputs', () => {
    const config = functional(
      'ops',
      [
        input('x', [null, 2, 3]),
        op('Subtract', 'sub', [1.5, tensor('x', [null, 2, 3])]),
        op('Mean', 'mean', [tensor('sub', [null, 2, 3])], { axis: -1, keepdims: true }),
        op('Transpose', 'tr', [tensor('x', [null, 2, 3])], { axes: [0, 2, 1] }),
        op('Softmax', 'sm', [tensor('x', [null, 2, 3])], { axis: 1 }, 'keras.src.ops.nn'),
      ],
      ['x'],
      ['mean', 'tr', 'sm'],
    );
    const model = modelFromKerasJson(config);
    const x = tf.tensor3d([
      [
        [1, 2, 3],
        [4, 5, 9],
      ],
    ]);
    const [mean, tr, sm] = model.predict(x) as tf.Tensor[];
    expect(mean!.shape).toEqual([1, 2, 1]);
    expect(Array.from(mean!.dataSync())).toEqual([1.5 - 2, 1.5 - 6]);
    expect(tr!.arraySync()).toEqual([
      [
        [1, 4],
        [2, 5],
        [3, 9],
      ],
    ]);
    const e = (a: number, b: number): number => Math.exp(a) / (Math.exp(a) + Math.exp(b));
    expect(Array.from(sm!.dataSync())[0]).toBeCloseTo(e(1, 4), 6);
    tf.dispose([x, mean!, tr!, sm!]);
    // Saved back as Keras writes it: module, registered_name = class, config {name, options}, args with the constant.
    const saved = JSON.parse(modelToKerasJson(model)) as { config: { layers: JsonObject[] } };
    const sub = saved.config.layers.find((l) => l['name'] === 'sub')!;
    expect(sub).toMatchObject({
      module: 'keras.src.ops.numpy',
      class_name: 'Subtract',
      registered_name: 'Subtract',
      config: { name: 'sub' },
    });
    expect(sub).not.toHaveProperty('build_config');
    expect((sub['inbound_nodes'] as JsonObject[])[0]!['args']).toEqual([1.5, tensor('x', [null, 2, 3])]);
    expect(saved.config.layers.find((l) => l['name'] === 'mean')!['config']).toEqual({
      name: 'mean',
      axis: -1,
      keepdims: true,
    });
    model.dispose();
  });

  it('honours the mask a call was given (mask kwarg), with a NotEqual op making it', () => {
    const embeddingMask = functional(
      'masked',
      [
        input('tokens', [null, 4], 'int32'),
        {
          module: 'keras.layers',
          class_name: 'Embedding',
          registered_name: null,
          name: 'emb',
          config: {
            name: 'emb',
            trainable: true,
            input_dim: 5,
            output_dim: 2,
            mask_zero: false,
            embeddings_initializer: 'ones',
          },
          inbound_nodes: [{ args: [tensor('tokens', [null, 4], 'int32')], kwargs: {} }],
        },
        op('NotEqual', 'not_equal', [tensor('tokens', [null, 4], 'int32'), 0]),
        {
          module: 'keras.layers',
          class_name: 'SimpleRNN',
          registered_name: null,
          name: 'rnn',
          config: {
            name: 'rnn',
            trainable: true,
            units: 1,
            activation: 'linear',
            kernel_initializer: 'ones',
            recurrent_initializer: 'ones',
            bias_initializer: 'zeros',
          },
          inbound_nodes: [
            { args: [tensor('emb', [null, 4, 2])], kwargs: { mask: tensor('not_equal', [null, 4], 'bool') } },
          ],
        },
      ],
      ['tokens'],
      ['rnn'],
    );
    const model = modelFromKerasJson(embeddingMask);
    // Embedding has mask_zero false: only the mask kwarg makes the RNN skip the padded steps.
    // Each real step adds 2 (two ones from the embedding) to h (recurrent weight 1): h = 2 · steps.
    const x = tf.tensor2d(
      [
        [3, 1, 0, 0],
        [2, 2, 2, 2],
      ],
      undefined,
      'int32',
    );
    const y = model.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([4, 8]);
    const saved = JSON.parse(modelToKerasJson(model)) as { config: { layers: JsonObject[] } };
    const rnn = saved.config.layers.find((l) => l['name'] === 'rnn')!;
    expect((rnn['inbound_nodes'] as JsonObject[])[0]!['kwargs']).toEqual({
      mask: tensor('not_equal', [null, 4], 'bool'),
    });
    tf.dispose([x, y]);
    model.dispose();
  });

  it('computes ConvertToTensor (Keras 3 Attention masks: not_equal → convert_to_tensor → mask), keeping the dtype or casting', () => {
    const config = functional(
      'convert',
      [
        input('tokens', [null, 4], 'int32'),
        op('NotEqual', 'not_equal', [tensor('tokens', [null, 4], 'int32'), 0]),
        op(
          'ConvertToTensor',
          'convert_to_tensor',
          [tensor('not_equal', [null, 4], 'bool')],
          { dtype: null, sparse: null, ragged: null },
          'keras.src.ops.core',
        ),
        op(
          'ConvertToTensor',
          'as_float',
          [tensor('tokens', [null, 4], 'int32')],
          { dtype: 'float32', sparse: null, ragged: null },
          'keras.src.ops.core',
        ),
      ],
      ['tokens'],
      ['convert_to_tensor', 'as_float'],
    );
    const before = tf.memory().numTensors;
    const model = modelFromKerasJson(config);
    const x = tf.tensor2d([[3, 1, 0, 0]], undefined, 'int32');
    const [mask, float] = model.predict(x) as tf.Tensor[];
    expect(mask!.dtype).toBe('bool');
    expect(Array.from(mask!.dataSync())).toEqual([1, 1, 0, 0]);
    expect(float!.dtype).toBe('float32');
    expect(Array.from(float!.dataSync())).toEqual([3, 1, 0, 0]);
    const saved = JSON.parse(modelToKerasJson(model)) as { config: { layers: JsonObject[] } };
    expect(saved.config.layers.find((l) => l['name'] === 'convert_to_tensor')).toMatchObject({
      module: 'keras.src.ops.core',
      class_name: 'ConvertToTensor',
      registered_name: 'ConvertToTensor',
      config: { name: 'convert_to_tensor', dtype: null, sparse: null, ragged: null },
    });
    tf.dispose([x, mask!, float!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const sparse = functional(
      'sparse',
      [
        input('x', [null, 3]),
        op(
          'ConvertToTensor',
          'ct',
          [tensor('x', [null, 3])],
          { dtype: null, sparse: true, ragged: null },
          'keras.src.ops.core',
        ),
      ],
      ['x'],
      ['ct'],
    );
    const sparseModel = modelFromKerasJson(sparse);
    const input3 = tf.ones([1, 3]);
    expect(() => sparseModel.predict(input3)).toThrow(
      /Op "ct" \(ConvertToTensor\): sparse and ragged tensors are not supported/,
    );
    tf.dispose(input3);
    sparseModel.dispose();
  });

  it('reads legacy .h5 entries (no module) as ops when their config has no `trainable`', () => {
    const config = functional(
      'legacy',
      [
        input('a', [null, 3]),
        input('b', [null, 3]),
        op('Add', 'add', [tensor('a', [null, 3]), tensor('b', [null, 3])], {}, null),
        op('Concatenate', 'cat', [[tensor('add', [null, 3]), tensor('a', [null, 3])]], { axis: -1 }, null),
      ],
      ['a', 'b'],
      ['cat'],
    );
    const model = modelFromKerasJson(config);
    const [a, b] = [tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[10, 20, 30]])];
    const y = model.predict([a, b]) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([11, 22, 33, 1, 2, 3]);
    const saved = JSON.parse(modelToKerasJson(model)) as { config: { layers: JsonObject[] } };
    // Two tensors are two positional arguments of the op (not one list, as for the Add layer).
    expect(
      (saved.config.layers.find((l) => l['name'] === 'add')!['inbound_nodes'] as JsonObject[])[0]!['args'],
    ).toHaveLength(2);
    tf.dispose([a, b, y]);
    model.dispose();
  });

  it("indexes with x[...] (GetItem), negative steps included (which Keras's torch backend cannot run)", () => {
    const all = { class_name: '__slice__', config: { start: null, stop: null, step: null } };
    const back = { class_name: '__slice__', config: { start: null, stop: null, step: -2 } };
    const config = functional(
      'gi',
      [input('x', [null, 5]), op('GetItem', 'get_item', [tensor('x', [null, 5]), [all, null, back]])],
      ['x'],
      ['get_item'],
    );
    const model = modelFromKerasJson(config);
    const x = tf.tensor2d([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.arraySync()).toEqual([[[4, 2, 0]], [[9, 7, 5]]]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('refuses an op class it does not compute, naming it and listing the supported ones', () => {
    const config = functional(
      'bad',
      [input('x', [null, 3]), op('Einsum', 'einsum', [tensor('x', [null, 3])])],
      ['x'],
      ['einsum'],
    );
    expect(() => modelFromKerasJson(config)).toThrow(
      /Layer "einsum" is a keras.ops call of class "Einsum" \(module "keras.src.ops.numpy"\), which Strata does not compute\. Supported ops: .*NotEqual/,
    );
  });

  it('has a kernel and a class for every supported op, and classes are not in the layer registry', () => {
    expect(opClassNames()).toEqual(Object.keys(OP_KERNELS).sort());
    expect(opLayerClass('NotEqual')?.className).toBe('NotEqual');
    expect(opLayerClass('constructor')).toBeUndefined();
  });
});
