import { decodeKeras2Json, decodeKeras3Config, type JsonObject } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { lintModel } from './engine.js';

/** A Keras 3 `__keras_tensor__` argument. */
function tensor(layer: string, shape: (number | null)[]): JsonObject {
  return { class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } };
}

function keras3Layer(
  className: string,
  name: string,
  config: JsonObject,
  args: JsonObject[],
  kwargs: JsonObject = {},
): JsonObject {
  return {
    module: 'keras.layers',
    class_name: className,
    config: { name, trainable: true, dtype: 'float32', ...config },
    registered_name: null,
    name,
    inbound_nodes: args.length ? [{ args, kwargs }] : [],
  };
}

describe('lint on models decoded from Keras files', () => {
  it('Keras 3 functional config: MC dropout via call kwargs and an attention value= kwarg tensor', () => {
    const config: JsonObject = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'mc_attention',
        trainable: true,
        layers: [
          keras3Layer('InputLayer', 'tokens', { batch_shape: [null, 10, 16], sparse: false, ragged: false }, []),
          keras3Layer('InputLayer', 'context', { batch_shape: [null, 12, 16], sparse: false, ragged: false }, []),
          keras3Layer(
            'MultiHeadAttention',
            'mha',
            {
              num_heads: 2,
              key_dim: 8,
              value_dim: 8,
              dropout: 1.5,
              use_bias: true,
              output_shape: null,
              attention_axes: null,
            },
            [tensor('tokens', [null, 10, 16])],
            { value: tensor('context', [null, 12, 16]) },
          ),
          keras3Layer(
            'Dropout',
            'mc_drop',
            { rate: 0.3, seed: null, noise_shape: null },
            [tensor('mha', [null, 10, 16])],
            { training: true },
          ),
          keras3Layer(
            'BatchNormalization',
            'bn',
            { axis: -1, center: true, scale: true, momentum: 0.99, epsilon: 0.001 },
            [tensor('mc_drop', [null, 10, 16])],
          ),
        ],
        input_layers: [
          ['tokens', 0, 0],
          ['context', 0, 0],
        ],
        output_layers: [['bn', 0, 0]],
      },
      registered_name: 'Functional',
    };
    const model = decodeKeras3Config(config);
    const findings = lintModel(model, { source: 'mc.keras' }).findings.map(
      (f) => `${f.ruleId}@${f.layer.name}:${f.severity}`,
    );
    expect(findings).toEqual([
      'dropout-rate-invalid@mha:error',
      'no-dropout-before-batchnorm@mc_drop:info',
      'dropout-always-active@mc_drop:info',
    ]);
  });

  it('Keras 2 functional JSON: kwargs in inbound_nodes mark MC dropout; Model outputs are respected', () => {
    const json: JsonObject = {
      class_name: 'Model',
      keras_version: '2.4.0',
      backend: 'tensorflow',
      config: {
        name: 'k2',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'in',
            config: { name: 'in', batch_input_shape: [null, 4], dtype: 'float32' },
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            name: 'd',
            config: { name: 'd', units: 3, activation: 'softmax' },
            inbound_nodes: [[['in', 0, 0, {}]]],
          },
          {
            class_name: 'Dropout',
            name: 'drop',
            config: { name: 'drop', rate: 0.2, noise_shape: null, seed: null },
            inbound_nodes: [[['d', 0, 0, { training: true }]]],
          },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['drop', 0, 0]],
      },
    };
    const model = decodeKeras2Json(json);
    const findings = lintModel(model).findings.map((f) => `${f.ruleId}@${f.layer.name}`);
    expect(findings).toEqual(['no-dropout-after-probabilities@drop', 'dropout-always-active@drop']);
  });
});
