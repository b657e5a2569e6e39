import { describe, expect, it } from 'vitest';
import { decodeKeras2Json } from '../codecs/keras2.js';
import type { CallNode, JsonObject, LayerIR, ModelIR, TensorRef } from '../ir.js';
import { ShapeError } from './errors.js';
import { inferLayerOutputShapes } from './infer.js';
import { analyzeModelShapes, inferModelShapes } from './model.js';

const ref = (layer: string, node = 0, index = 0): TensorRef => ({ layer, node, index });
const call = (...inputs: TensorRef[]): CallNode => ({ inputs });
function layer(
  name: string,
  className: string,
  config: JsonObject,
  nodes: CallNode[],
  extra: Partial<LayerIR> = {},
): LayerIR {
  return { name, className, config: { name, ...config }, nodes, ...extra };
}
const input = (name: string, batchShape: (number | null)[]): LayerIR =>
  layer(name, 'InputLayer', { batch_shape: batchShape }, []);

function functional(name: string, layers: LayerIR[], inputs: TensorRef[], outputs: TensorRef[]): ModelIR {
  return { className: 'Functional', name, layers, inputs, outputs };
}

describe('inferModelShapes', () => {
  it('names the layer, the expected and the actual shape when build_config disagrees', () => {
    const ir = functional(
      'm',
      [
        input('x', [null, 32]),
        layer('dense_1', 'Dense', { units: 10 }, [call(ref('x'))], { buildConfig: { input_shape: [null, 64] } }),
      ],
      [ref('x')],
      [ref('dense_1')],
    );
    expect(() => inferModelShapes(ir)).toThrow(ShapeError);
    expect(() => inferModelShapes(ir)).toThrow(
      'Layer "dense_1" (Dense): expected input with last dimension 64, got shape [null, 32]',
    );
    const analysis = analyzeModelShapes(ir);
    expect(analysis.errors.map((e) => e.message)).toEqual([
      'Layer "dense_1" (Dense): expected input with last dimension 64, got shape [null, 32]',
    ]);
    expect(analysis.shapes.get('x')).toEqual([[[null, 32]]]);
    expect(analysis.shapes.has('dense_1')).toBe(false);
  });

  it('leaves unknown classes out, marks what depends on them unresolved and keeps going elsewhere', () => {
    const ir = functional(
      'm',
      [
        input('x', [null, 8]),
        layer('custom', 'MyCustomLayer', {}, [call(ref('x'))]),
        layer('after', 'Dense', { units: 2 }, [call(ref('custom'))]),
        layer('side', 'Dense', { units: 3 }, [call(ref('x'))]),
      ],
      [ref('x')],
      [ref('after'), ref('side')],
    );
    const shapes = inferModelShapes(ir);
    expect([...shapes.keys()]).toEqual(['x', 'side']);
    expect(shapes.get('side')).toEqual([[[null, 3]]]);
    const analysis = analyzeModelShapes(ir);
    expect(analysis.unknownLayers).toEqual(['custom']);
    expect(analysis.unresolvedLayers).toEqual(['after']);
  });

  it('records one entry per call of a shared layer and follows tensor indices of multi-output layers', () => {
    const ir = functional(
      'm',
      [
        input('seq', [null, 5, 3]),
        layer('lstm', 'LSTM', { units: 4, return_state: true }, [call(ref('seq'))]),
        layer('shared', 'Dense', { units: 2 }, [call(ref('lstm', 0, 0)), call(ref('lstm', 0, 2)), call(ref('seq'))]),
        layer('cat', 'Concatenate', { axis: -1 }, [
          { inputs: [ref('shared', 0), ref('shared', 1)], inputsAsList: true },
        ]),
      ],
      [ref('seq')],
      [ref('cat')],
    );
    const shapes = inferModelShapes(ir);
    expect(shapes.get('lstm')).toEqual([
      [
        [null, 4],
        [null, 4],
        [null, 4],
      ],
    ]);
    expect(shapes.get('shared')).toEqual([[[null, 2]], [[null, 2]], [[null, 5, 2]]]);
    expect(shapes.get('cat')).toEqual([[[null, 4]]]);
  });

  it('infers through nested models and keys their layers by path', () => {
    const tower: ModelIR = {
      className: 'Sequential',
      name: 'tower',
      layers: [input('tower_in', [null, 6]), layer('tower_dense', 'Dense', { units: 3 }, [call(ref('tower_in'))])],
      inputs: [ref('tower_in')],
      outputs: [ref('tower_dense')],
    };
    const ir = functional(
      'outer',
      [
        input('x', [null, 6]),
        layer('tower', 'Sequential', {}, [call(ref('x'))], { model: tower }),
        layer('head', 'Dense', { units: 1 }, [call(ref('tower'))]),
      ],
      [ref('x')],
      [ref('head')],
    );
    const shapes = inferModelShapes(ir);
    expect(shapes.get('tower')).toEqual([[[null, 3]]]);
    expect(shapes.get('tower/tower_dense')).toEqual([[[null, 3]]]);
    expect(shapes.get('head')).toEqual([[[null, 1]]]);

    const wrongInput = functional('outer', [input('x', [null, 7]), ...ir.layers.slice(1)], [ref('x')], [ref('head')]);
    expect(() => inferModelShapes(wrongInput)).toThrow(
      'Layer "tower_in" (InputLayer): expected input shape [null, 6], got shape [null, 7]',
    );
  });

  it('handles a model-class layer given only by its config (e.g. inside TimeDistributed)', () => {
    const nested = {
      class_name: 'Sequential',
      config: {
        name: 'inner',
        layers: [
          { class_name: 'Dense', config: { name: 'd1', units: 5 } },
          { class_name: 'Dense', config: { name: 'd2', units: 2 } },
        ],
      },
    };
    expect(inferLayerOutputShapes('Sequential', nested.config, [[null, 3]], 'inner')).toEqual([[null, 2]]);
    expect(inferLayerOutputShapes('TimeDistributed', { name: 'td', layer: nested }, [[null, 7, 3]])).toEqual([
      [null, 7, 2],
    ]);
  });

  it('uses build_input_shape of a Sequential without InputLayer', () => {
    const ir = decodeKeras2Json({
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [{ class_name: 'Flatten', config: { name: 'f' } }],
        build_input_shape: [null, 2, 3],
      },
    });
    expect(inferModelShapes(ir).get('f')).toEqual([[[null, 6]]]);
    const noShape = decodeKeras2Json({
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Flatten', config: { name: 'f' } }] },
    });
    expect(analyzeModelShapes(noShape).unresolvedLayers).toEqual(['f']);
  });
});

describe('nested models referenced by file node index', () => {
  const innerSequential = (withInput: boolean): JsonObject => ({
    class_name: 'Sequential',
    config: {
      name: 'inner',
      layers: [
        ...(withInput
          ? [{ class_name: 'InputLayer', config: { name: 'inner_in', batch_input_shape: [null, 4] } }]
          : []),
        { class_name: 'Dense', config: { name: 'inner_dense', units: 3 } },
      ],
    },
    name: 'inner',
  });
  const outer = (nodeIndex: number, withInput = true): JsonObject => ({
    class_name: 'Functional',
    config: {
      name: 'outer',
      layers: [
        { class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 4] }, name: 'x', inbound_nodes: [] },
        { ...innerSequential(withInput), inbound_nodes: [[['x', 0, 0, {}]]] },
        {
          class_name: 'Dense',
          config: { name: 'head', units: 2 },
          name: 'head',
          inbound_nodes: [[['inner', nodeIndex, 0, {}]]],
        },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['head', 0, 0]],
    },
  });

  it('tf.keras 2 numbers the calls of a Sequential built on an Input from 1 (its node 0 is its own)', () => {
    const analysis = analyzeModelShapes(decodeKeras2Json(outer(1)));
    expect(analysis.errors).toEqual([]);
    expect(analysis.shapes.get('inner')).toEqual([[[null, 3]]]);
    expect(analysis.shapes.get('head')).toEqual([[[null, 2]]]);
  });

  it('Keras 3 numbers Sequential calls from 0', () => {
    const analysis = analyzeModelShapes(decodeKeras2Json(outer(0)));
    expect(analysis.shapes.get('head')).toEqual([[[null, 2]]]);
  });
});
