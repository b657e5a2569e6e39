import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { decodeModelConfig, detectModelConfigFormat } from './detect.js';
import { decodeKeras2Json, encodeKeras2Json } from './keras2.js';
import { decodeTfjsModelJson, encodeTfjsModelTopology } from './tfjs.js';

/** Keras 2 functional `to_json()`: a shared Dense called twice, a Concatenate and a nested Sequential. */
const keras2Functional: JsonObject = {
  class_name: 'Model',
  config: {
    name: 'model_1',
    layers: [
      {
        name: 'in_a',
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 8], dtype: 'float32', sparse: false, name: 'in_a' },
        inbound_nodes: [],
      },
      {
        name: 'in_b',
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 8], dtype: 'float32', sparse: false, name: 'in_b' },
        inbound_nodes: [],
      },
      {
        name: 'shared',
        class_name: 'Dense',
        config: { name: 'shared', units: 4 },
        inbound_nodes: [[['in_a', 0, 0, {}]], [['in_b', 0, 0, {}]]],
      },
      {
        name: 'merge',
        class_name: 'Concatenate',
        config: { name: 'merge', axis: -1 },
        inbound_nodes: [
          [
            ['shared', 0, 0, {}],
            ['shared', 1, 0, {}],
          ],
        ],
      },
      {
        name: 'head',
        class_name: 'Sequential',
        config: {
          name: 'head',
          layers: [{ class_name: 'Dense', config: { name: 'head_dense', units: 1, batch_input_shape: [null, 8] } }],
        },
        inbound_nodes: [[['merge', 0, 0, {}]]],
      },
    ],
    input_layers: [
      ['in_a', 0, 0],
      ['in_b', 0, 0],
    ],
    output_layers: [['head', 1, 0]],
  },
  keras_version: '2.2.4',
  backend: 'tensorflow',
};

describe('Keras 2 JSON codec', () => {
  it('decodes a functional Model with a shared layer, a merge and a nested Sequential, and round-trips', () => {
    const ir = decodeKeras2Json(keras2Functional);
    const shared = ir.layers[2];
    expect(shared?.nodes.map((n) => n.inputs)).toEqual([
      [{ layer: 'in_a', node: 0, index: 0 }],
      [{ layer: 'in_b', node: 0, index: 0 }],
    ]);
    expect(shared?.nodes[0]?.kwargs).toEqual({});
    const merge = ir.layers[3];
    expect(merge?.nodes[0]?.inputsAsList).toBe(true);
    expect(merge?.nodes[0]?.inputs.map((r) => [r.layer, r.node])).toEqual([
      ['shared', 0],
      ['shared', 1],
    ]);
    expect(ir.layers[4]?.model?.layers[0]?.nodes).toEqual([{ inputs: [] }]);
    expect(ir.outputs).toEqual([{ layer: 'head', node: 1, index: 0 }]);
    expect(encodeKeras2Json(ir)).toStrictEqual(keras2Functional);
    expect(detectModelConfigFormat(keras2Functional)).toBe('keras2');
  });

  it('accepts class "Functional" and Keras 1-style three-element entries', () => {
    const json: JsonObject = {
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          {
            name: 'x',
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 2], name: 'x' },
            inbound_nodes: [],
          },
          { name: 'd', class_name: 'Dense', config: { name: 'd', units: 1 }, inbound_nodes: [[['x', 0, 0]]] },
        ],
        input_layers: ['x', 0, 0],
        output_layers: ['d', 0, 0],
      },
    };
    const ir = decodeKeras2Json(json);
    expect(ir.layers[1]?.nodes).toEqual([{ inputs: [{ layer: 'x', node: 0, index: 0 }] }]);
    expect(encodeKeras2Json(ir)).toStrictEqual(json);
  });

  it('decodes the dict form of a Sequential config', () => {
    const json: JsonObject = {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }],
      },
    };
    const ir = decodeKeras2Json(json);
    expect(ir.name).toBe('seq');
    expect(ir.layout?.sequentialAsList).toBeUndefined();
    expect(encodeKeras2Json(ir)).toStrictEqual(json);
  });

  it('names the bad entry of a malformed node', () => {
    const bad = structuredClone(keras2Functional);
    const layers = (bad['config'] as { layers: JsonObject[] }).layers;
    (layers[2] as JsonObject)['inbound_nodes'] = [[['in_a', 0]]];
    expect(() => decodeKeras2Json(bad)).toThrow(
      'config.layers[2].inbound_nodes[0][0]: expected [layer_name, node_index, tensor_index, kwargs], got an array of length 2',
    );
    (layers[2] as JsonObject)['inbound_nodes'] = [[['in_a', -1, 0, {}]]];
    expect(() => decodeKeras2Json(bad)).toThrow(
      'config.layers[2].inbound_nodes[0][0][1]: expected a non-negative integer, got number -1',
    );
  });
});

describe('TF.js model.json codec', () => {
  const topology: JsonObject = {
    class_name: 'Sequential',
    config: {
      name: 's',
      layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };

  it('accepts a whole model.json, a bare topology and a model_config wrapper', () => {
    const whole = decodeTfjsModelJson({ format: 'layers-model', modelTopology: topology, weightsManifest: [] });
    expect(whole).toEqual(decodeTfjsModelJson(topology));
    expect(encodeTfjsModelTopology(whole)).toStrictEqual(topology);

    const wrapped: JsonObject = { model_config: topology, training_config: { loss: 'mse' }, keras_version: '2.1.6' };
    const ir = decodeTfjsModelJson({ modelTopology: wrapped });
    expect(ir.compileConfig).toEqual({ loss: 'mse' });
    expect(encodeTfjsModelTopology(ir)).toStrictEqual(wrapped);
  });

  it('reads Keras 3 {args, kwargs} nodes in a topology converted from Keras 3, and writes Keras 2 nodes', () => {
    const kt = (layer: string): JsonObject => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 2], dtype: 'float32', keras_history: [layer, 0, 0] },
    });
    const converted: JsonObject = {
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          { class_name: 'InputLayer', name: 'x', config: { name: 'x', batch_shape: [null, 2] }, inbound_nodes: [] },
          {
            class_name: 'Dense',
            name: 'd',
            config: { name: 'd', units: 1 },
            inbound_nodes: [{ args: [kt('x')], kwargs: {} }],
          },
        ],
        input_layers: ['x', 0, 0],
        output_layers: ['d', 0, 0],
      },
      keras_version: '3.3.3',
    };
    const ir = decodeTfjsModelJson({ modelTopology: converted, format: 'layers-model' });
    expect(ir.layers[1]?.nodes[0]?.inputs).toEqual([
      { layer: 'x', node: 0, index: 0, shape: [null, 2], dtype: 'float32' },
    ]);
    const topology = encodeTfjsModelTopology(ir) as { config: { layers: JsonObject[] } };
    expect(topology.config.layers[1]?.['inbound_nodes']).toEqual([[['x', 0, 0, {}]]]);
  });

  it('is recognised from the version / backend strings', () => {
    expect(decodeModelConfig(topology).format).toBe('tfjs');
    expect(detectModelConfigFormat({ ...topology, keras_version: '2.0.0', backend: 'TensorFlow.js' })).toBe('tfjs');
    expect(() => decodeModelConfig({ hello: 1 })).toThrow(/expected a model config with "class_name" and "config"/);
  });
});
