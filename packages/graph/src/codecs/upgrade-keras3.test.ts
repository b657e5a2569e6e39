import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { decodeModelConfig } from './detect.js';
import { decodeKeras2Json } from './keras2.js';
import { encodeKeras3Config } from './keras3.js';
import { upgradeToKeras3 } from './upgrade-keras3.js';

describe('upgradeToKeras3 (Keras 2 / TF.js model → the form Keras 3 reads)', () => {
  const keras2 = decodeKeras2Json({
    class_name: 'Sequential',
    config: [
      {
        class_name: 'GRU',
        config: {
          name: 'gru_1',
          units: 4,
          batch_input_shape: [null, 5, 3],
          dtype: 'float32',
          implementation: 1,
          time_major: false,
          recurrent_activation: 'hard_sigmoid',
          kernel_regularizer: null,
          kernel_initializer: {
            class_name: 'VarianceScaling',
            config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null, dtype: 'float32' },
          },
        },
      },
      { class_name: 'SpatialDropout1D', config: { name: 'drop', rate: 0.1, trainable: true, noise_shape: null } },
    ],
  });

  it('gives a Sequential an InputLayer from batch_input_shape and Keras 3 keys, modules and defaults', () => {
    const { model, notes } = upgradeToKeras3(keras2);
    const json = encodeKeras3Config(model) as {
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    const [input, gru, drop] = json.config.layers;
    expect(input).toMatchObject({
      class_name: 'InputLayer',
      config: { batch_shape: [null, 5, 3], name: 'gru_1_input' },
    });
    expect(gru!.config).toEqual({
      name: 'gru_1',
      units: 4,
      dtype: 'float32',
      recurrent_activation: 'hard_sigmoid_legacy',
      reset_after: false,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'VarianceScaling',
        config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
        registered_name: null,
      },
    });
    expect(drop!.config).toEqual({ name: 'drop', rate: 0.1 });
    expect(notes.join('\n')).toMatch(
      /layer "gru_1": recurrent_activation "hard_sigmoid" meant clip\(0\.2x \+ 0\.5, 0, 1\) in Keras 2 \/ TF\.js, which Keras 3 computes differently; written as "hard_sigmoid_legacy"/,
    );
    // The model it came from is not changed.
    expect(keras2.layers[0]!.config['time_major']).toBe(false);
  });

  it('moves tf.keras 2 initial states into the initial_state kwarg and renumbers a nested Sequential from 0', () => {
    const functional = decodeKeras2Json({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            config: { name: 'x', batch_input_shape: [null, 3, 2] },
            name: 'x',
            inbound_nodes: [],
          },
          {
            class_name: 'InputLayer',
            config: { name: 'h', batch_input_shape: [null, 4] },
            name: 'h',
            inbound_nodes: [],
          },
          {
            class_name: 'GRU',
            config: { name: 'rnn', units: 4, return_sequences: false, return_state: false },
            name: 'rnn',
            inbound_nodes: [
              [
                ['x', 0, 0, {}],
                ['h', 0, 0, {}],
              ],
            ],
          },
          {
            class_name: 'Sequential',
            config: {
              name: 'head',
              layers: [
                { class_name: 'InputLayer', config: { name: 'hi', batch_input_shape: [null, 4] } },
                { class_name: 'Dense', config: { name: 'd', units: 1 } },
              ],
            },
            name: 'head',
            inbound_nodes: [[['rnn', 0, 0, {}]]],
          },
        ],
        input_layers: [
          ['x', 0, 0],
          ['h', 0, 0],
        ],
        output_layers: [['head', 1, 0]],
      },
    });
    const { model } = upgradeToKeras3(functional);
    const rnn = model.layers.find((l) => l.name === 'rnn')!;
    expect(rnn.nodes[0]!.inputs.map((r) => r.layer)).toEqual(['x']);
    expect(rnn.nodes[0]!.kwargs?.['initial_state']).toEqual([
      { class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['h', 0, 0] } },
    ]);
    expect(model.outputs).toEqual([{ layer: 'head', node: 0, index: 0, shape: [null, 1], dtype: 'float32' }]);
    expect(model.className).toBe('Functional');
    expect(model.module).toBe('keras.src.models.functional');
  });

  it("gives keras.ops nodes of a Keras 3 .h5 (which drops every module) Keras's op module, not keras.layers", () => {
    // As Keras 3.15.1 writes Embedding(mask_zero=True) → LSTM to .h5: no `module`, no `registered_name`.
    const tensor = (layer: string, shape: (number | null)[], dtype: string): JsonObject => ({
      class_name: '__keras_tensor__',
      config: { shape, dtype, keras_history: [layer, 0, 0] },
    });
    const { model: h5Model } = decodeModelConfig(
      {
        class_name: 'Functional',
        config: {
          name: 'masked',
          layers: [
            {
              class_name: 'InputLayer',
              name: 'tokens',
              inbound_nodes: [],
              config: { batch_shape: [null, 4], dtype: 'int32', sparse: false, ragged: false, name: 'tokens' },
            },
            {
              class_name: 'NotEqual',
              name: 'not_equal',
              inbound_nodes: [{ args: [tensor('tokens', [null, 4], 'int32'), 0], kwargs: {} }],
              config: { name: 'not_equal' },
            },
            {
              class_name: 'Add',
              name: 'add',
              inbound_nodes: [
                { args: [[tensor('tokens', [null, 4], 'int32'), tensor('tokens', [null, 4], 'int32')]], kwargs: {} },
              ],
              config: { name: 'add', trainable: true },
            },
          ],
          input_layers: ['tokens', 0, 0],
          output_layers: [
            ['not_equal', 0, 0],
            ['add', 0, 0],
          ],
        },
      },
      '3.15.1',
    );
    const json = encodeKeras3Config(upgradeToKeras3(h5Model).model) as { config: { layers: JsonObject[] } };
    const [, notEqual, add] = json.config.layers;
    expect(notEqual).toMatchObject({
      module: 'keras.src.ops.numpy',
      class_name: 'NotEqual',
      registered_name: 'NotEqual',
      config: { name: 'not_equal' },
    });
    expect((notEqual!['inbound_nodes'] as JsonObject[])[0]!['args']).toEqual([tensor('tokens', [null, 4], 'int32'), 0]);
    // A layer sharing an op's class name (its config has `trainable`) stays a layer.
    expect(add).toMatchObject({ module: 'keras.layers', class_name: 'Add', registered_name: null });
  });
});
