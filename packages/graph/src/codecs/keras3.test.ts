import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../ir.js';
import { decodeModelConfig } from './detect.js';
import { ModelFormatError } from './errors.js';
import { decodeKeras3Config, encodeKeras3Config } from './keras3.js';

const dtype: JsonObject = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

function tensor(shape: (number | null)[], layer: string, node = 0, index = 0): JsonObject {
  return { class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, node, index] } };
}

function layer(
  className: string,
  name: string,
  config: JsonObject,
  args: JsonValue[],
  kwargs: JsonObject = {},
): JsonObject {
  return {
    module: 'keras.layers',
    class_name: className,
    config: { name, trainable: true, dtype, ...config },
    registered_name: null,
    build_config: { input_shape: [null, 4] },
    name,
    inbound_nodes: [{ args, kwargs }],
  };
}

function inputLayer(name: string, batchShape: (number | null)[]): JsonObject {
  return {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name },
    registered_name: null,
    name,
    inbound_nodes: [],
  };
}

/** A Keras 3 functional model: two inputs, a nested Sequential, a Concatenate over a list. */
function functionalConfig(inputLayers: JsonValue, outputLayers: JsonValue): JsonObject {
  const nested: JsonObject = {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'tower',
      trainable: true,
      dtype,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'tower_in' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'tower_dense', units: 3, activation: 'relu', dtype },
          registered_name: null,
          build_config: { input_shape: [null, 4] },
        },
      ],
      build_input_shape: [null, 4],
    },
    registered_name: null,
    build_config: { input_shape: [null, 4] },
    name: 'tower',
    inbound_nodes: [{ args: [tensor([null, 4], 'a')], kwargs: { training: false } }],
  };
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'two_towers',
      trainable: true,
      layers: [
        inputLayer('a', [null, 4]),
        inputLayer('b', [null, 4]),
        nested,
        layer('Dense', 'dense', { units: 3 }, [tensor([null, 4], 'b')]),
        layer('Concatenate', 'concat', { axis: -1 }, [[tensor([null, 3], 'tower'), tensor([null, 3], 'dense')]]),
        layer('Add', 'add', {}, [[tensor([null, 3], 'dense'), tensor([null, 3], 'tower')]]),
      ],
      input_layers: inputLayers,
      output_layers: outputLayers,
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: { loss: 'mse', optimizer: 'adam' },
  };
}

describe('Keras 3 config.json codec', () => {
  it('decodes a functional model with merge layers, kwargs and a nested Sequential', () => {
    const json = functionalConfig(
      [
        ['a', 0, 0],
        ['b', 0, 0],
      ],
      [
        ['concat', 0, 0],
        ['add', 0, 0],
      ],
    );
    const ir = decodeKeras3Config(json);
    expect(ir.inputs.map((r) => r.layer)).toEqual(['a', 'b']);
    expect(ir.outputs.map((r) => r.layer)).toEqual(['concat', 'add']);
    const concat = ir.layers.find((l) => l.name === 'concat');
    expect(concat?.nodes[0]?.inputsAsList).toBe(true);
    expect(concat?.nodes[0]?.inputs.map((r) => r.layer)).toEqual(['tower', 'dense']);
    expect(concat?.nodes[0]?.inputs[0]?.shape).toEqual([null, 3]);
    const tower = ir.layers.find((l) => l.name === 'tower');
    expect(tower?.nodes[0]?.kwargs).toEqual({ training: false });
    expect(tower?.model?.className).toBe('Sequential');
    expect(tower?.model?.layers.map((l) => l.name)).toEqual(['tower_in', 'tower_dense']);
    expect(tower?.model?.outputs).toEqual([{ layer: 'tower_dense', node: 0, index: 0 }]);
    expect(ir.compileConfig).toEqual({ loss: 'mse', optimizer: 'adam' });
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
    expect(decodeModelConfig(json).format).toBe('keras3');
  });

  it('keeps the flat [name, 0, 0] form of input_layers / output_layers (older Keras 3)', () => {
    const json = functionalConfig(['a', 0, 0], ['add', 0, 0]);
    const ir = decodeKeras3Config(json);
    expect(ir.inputs).toEqual([{ layer: 'a', node: 0, index: 0 }]);
    expect(ir.layout?.inputs).toBe(0);
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
  });

  it('keeps dict-structured outputs', () => {
    const json = functionalConfig(
      [
        ['a', 0, 0],
        ['b', 0, 0],
      ],
      { sum: ['add', 0, 0], cat: ['concat', 0, 0] },
    );
    const ir = decodeKeras3Config(json);
    expect(ir.outputs.map((r) => r.layer)).toEqual(['add', 'concat']);
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
  });

  it('writes single tensors and lists as Keras 3 does', () => {
    const ir = decodeKeras3Config(
      functionalConfig(
        [
          ['a', 0, 0],
          ['b', 0, 0],
        ],
        [['add', 0, 0]],
      ),
    );
    const encoded = encodeKeras3Config(ir) as { config: { layers: JsonObject[] } };
    expect(encoded.config.layers[3]?.['inbound_nodes']).toEqual([{ args: [tensor([null, 4], 'b')], kwargs: {} }]);
    expect(encoded.config.layers[5]?.['inbound_nodes']).toEqual([
      { args: [[tensor([null, 3], 'dense'), tensor([null, 3], 'tower')]], kwargs: {} },
    ]);
  });

  it('reports where a node is malformed', () => {
    const json = functionalConfig([['a', 0, 0]], [['add', 0, 0]]);
    const layers = (json['config'] as { layers: JsonObject[] }).layers;
    (layers[3] as JsonObject)['inbound_nodes'] = [
      { args: [{ class_name: '__keras_tensor__', config: { keras_history: ['b', 0] } }], kwargs: {} },
    ];
    expect(() => decodeKeras3Config(json)).toThrow(ModelFormatError);
    expect(() => decodeKeras3Config(json)).toThrow(
      'config.layers[3].inbound_nodes[0].args[0].config.keras_history: expected [layer_name, node_index, tensor_index], got an array of length 2',
    );
    (layers[3] as JsonObject)['inbound_nodes'] = [[['b', 0, 0, {}]]];
    expect(() => decodeKeras3Config(json)).toThrow(
      /config\.layers\[3\]\.inbound_nodes\[0\]: expected an object, got an array/,
    );
  });

  it('rejects missing pieces with their location', () => {
    expect(() => decodeKeras3Config({ class_name: 'Functional', config: { name: 'm', layers: [] } })).toThrow(
      /config: expected "output_layers"/,
    );
    expect(() =>
      decodeKeras3Config({
        class_name: 'Sequential',
        config: { name: 'm', layers: [{ class_name: 'Dense', config: {} }] },
      }),
    ).toThrow('config.layers[0].config.name: expected a string, got nothing');
    expect(() => decodeKeras3Config({ class_name: 'Sequential', config: { name: 'm', layers: 3 } })).toThrow(
      'config.layers: expected an array, got number 3',
    );
    expect(() =>
      decodeKeras3Config({
        class_name: 'Sequential',
        config: {
          name: 'm',
          layers: [
            { class_name: 'Dense', config: { name: 'd' } },
            { class_name: 'Dense', config: { name: 'd' } },
          ],
        },
      }),
    ).toThrow('config.layers[1]: duplicate layer name "d"');
  });

  it('keeps op calls with constants and nested arguments verbatim (e.g. x * 2, ops.concatenate)', () => {
    const json = functionalConfig(
      [
        ['a', 0, 0],
        ['b', 0, 0],
      ],
      [['scale', 0, 0]],
    );
    const layers = (json['config'] as { layers: JsonObject[] }).layers;
    layers.push({
      module: 'keras.src.ops.numpy',
      class_name: 'Multiply',
      config: { name: 'scale' },
      registered_name: 'Multiply',
      name: 'scale',
      inbound_nodes: [
        { args: [tensor([null, 3], 'add'), 2.0, [tensor([null, 3], 'concat'), null]], kwargs: { axis: 1 } },
      ],
    });
    const ir = decodeKeras3Config(json);
    const scale = ir.layers.find((l) => l.name === 'scale');
    expect(scale?.nodes[0]?.inputs.map((r) => r.layer)).toEqual(['add', 'concat']);
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
    // The inputs stay authoritative: a rewired input is written into the verbatim args.
    (scale?.nodes[0]?.inputs[1] as { layer: string }).layer = 'dense';
    const encoded = encodeKeras3Config(ir) as { config: { layers: JsonObject[] } };
    expect(encoded.config.layers[6]?.['inbound_nodes']).toEqual([
      { args: [tensor([null, 3], 'add'), 2.0, [tensor([null, 3], 'dense'), null]], kwargs: { axis: 1 } },
    ]);
  });

  it('keeps unknown (custom) classes and their registered_name', () => {
    const json: JsonObject = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { module: 'my_pkg', class_name: 'Fancy', config: { name: 'fancy', k: 2 }, registered_name: 'my_pkg>Fancy' },
        ],
      },
      registered_name: null,
    };
    const ir = decodeKeras3Config(json);
    expect(ir.layers[0]?.registeredName).toBe('my_pkg>Fancy');
    expect(ir.layers[0]?.nodes).toEqual([{ inputs: [] }]);
    expect(encodeKeras3Config(ir)).toStrictEqual(json);
  });
});
