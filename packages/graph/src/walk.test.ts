import { describe, expect, it } from 'vitest';
import { decodeKeras2Json } from './codecs/keras2.js';
import type { LayerIR, ModelIR, TensorRef } from './ir.js';
import { callOrder, consumersOf, layerByName, producersOf, topologicalOrder, walkLayers } from './walk.js';

const ref = (layer: string, node = 0, index = 0): TensorRef => ({ layer, node, index });
const layer = (name: string, className: string, nodes: LayerIR['nodes'], model?: ModelIR): LayerIR => ({
  name,
  className,
  config: { name },
  nodes,
  ...(model === undefined ? {} : { model }),
});

/** x → shared → shared (called twice in a row) → add(shared#0, shared#1); rnn(x, initial_state=shared#0). Listed out of order. */
function sharedModel(): ModelIR {
  return {
    className: 'Functional',
    name: 'm',
    layers: [
      layer('add', 'Add', [{ inputs: [ref('shared', 0), ref('shared', 1)], inputsAsList: true }]),
      layer('shared', 'Dense', [{ inputs: [ref('x')] }, { inputs: [ref('shared', 0)] }]),
      layer('rnn', 'LSTM', [
        {
          inputs: [ref('x')],
          kwargs: {
            initial_state: [
              {
                class_name: '__keras_tensor__',
                config: { shape: [null, 4], dtype: 'float32', keras_history: ['shared', 0, 0] },
              },
            ],
          },
        },
      ]),
      layer('x', 'InputLayer', []),
    ],
    inputs: [ref('x')],
    outputs: [ref('add'), ref('rnn')],
  };
}

describe('graph walking', () => {
  it('finds layers, producers and consumers (kwargs tensors included)', () => {
    const ir = sharedModel();
    expect(layerByName(ir, 'shared')?.className).toBe('Dense');
    expect(layerByName(ir, 'nope')).toBeUndefined();
    expect(producersOf(ir, 'add').map((p) => [p.ref.layer, p.ref.node, p.layer?.name])).toEqual([
      ['shared', 0, 'shared'],
      ['shared', 1, 'shared'],
    ]);
    expect(producersOf(ir, 'shared', 1).map((p) => p.ref)).toEqual([ref('shared', 0)]);
    expect(producersOf(ir, 'rnn').map((p) => [p.ref.layer, p.kwarg])).toEqual([
      ['x', undefined],
      ['shared', 'initial_state'],
    ]);
    expect(consumersOf(ir, 'shared').map((c) => [c.layer.name, c.node, c.ref.node, c.kwarg])).toEqual([
      ['add', 0, 0, undefined],
      ['add', 0, 1, undefined],
      ['shared', 1, 0, undefined],
      ['rnn', 0, 0, 'initial_state'],
    ]);
    expect(consumersOf(ir, 'x').map((c) => c.layer.name)).toEqual(['shared', 'rnn']);
  });

  it('orders calls so that a shared layer called on its own output works', () => {
    const ir = sharedModel();
    expect(callOrder(ir).map((s) => `${s.layer.name}#${s.node}`)).toEqual([
      'x#0',
      'shared#0',
      'shared#1',
      'add#0',
      'rnn#0',
    ]);
    expect(topologicalOrder(ir).map((l) => l.name)).toEqual(['x', 'shared', 'add', 'rnn']);
  });

  it('orders a decoded Sequential as its chain', () => {
    const ir = decodeKeras2Json({
      class_name: 'Sequential',
      config: [
        { class_name: 'Dense', config: { name: 'a', units: 2, batch_input_shape: [null, 3] } },
        { class_name: 'Dense', config: { name: 'b', units: 2 } },
      ],
    });
    expect(topologicalOrder(ir).map((l) => l.name)).toEqual(['a', 'b']);
    expect(producersOf(ir, 'b').map((p) => p.layer?.name)).toEqual(['a']);
  });

  it('sees Keras 2 kwargs tensors ([layer, node, index] of a model layer) but not look-alike values', () => {
    const ir = decodeKeras2Json({
      class_name: 'Model',
      config: {
        name: 'k2',
        layers: [
          {
            name: 'seq',
            class_name: 'InputLayer',
            config: { name: 'seq', batch_input_shape: [null, 3, 2] },
            inbound_nodes: [],
          },
          {
            name: 'state',
            class_name: 'InputLayer',
            config: { name: 'state', batch_input_shape: [null, 4] },
            inbound_nodes: [],
          },
          {
            name: 'gru',
            class_name: 'GRU',
            config: { name: 'gru', units: 4 },
            inbound_nodes: [[['seq', 0, 0, { initial_state: [['state', 0, 0]], other: ['not_a_layer', 0, 0] }]]],
          },
        ],
        input_layers: [
          ['seq', 0, 0],
          ['state', 0, 0],
        ],
        output_layers: [['gru', 0, 0]],
      },
    });
    expect(producersOf(ir, 'gru').map((p) => [p.ref.layer, p.kwarg])).toEqual([
      ['seq', undefined],
      ['state', 'initial_state'],
    ]);
    expect(consumersOf(ir, 'state').map((c) => c.layer.name)).toEqual(['gru']);
  });

  it('reports cycles and dangling references', () => {
    const cyclic: ModelIR = {
      className: 'Functional',
      name: 'c',
      layers: [layer('p', 'Dense', [{ inputs: [ref('q')] }]), layer('q', 'Dense', [{ inputs: [ref('p')] }])],
      inputs: [],
      outputs: [ref('q')],
    };
    expect(() => topologicalOrder(cyclic)).toThrow('model "c": the layer graph has a cycle through "p", "q"');
    const dangling: ModelIR = { ...cyclic, layers: [layer('p', 'Dense', [{ inputs: [ref('ghost')] }])] };
    expect(() => callOrder(dangling)).toThrow('layer "p" node 0: input refers to missing layer "ghost"');
    const badNode: ModelIR = {
      ...cyclic,
      layers: [layer('i', 'InputLayer', []), layer('p', 'Dense', [{ inputs: [ref('i', 2)] }])],
    };
    expect(() => callOrder(badNode)).toThrow('input refers to missing node 2 of layer "i"');
  });

  it('walks nested models depth-first with the enclosing model names', () => {
    const inner: ModelIR = {
      className: 'Sequential',
      name: 'inner',
      layers: [layer('d', 'Dense', [{ inputs: [] }])],
      inputs: [],
      outputs: [ref('d')],
    };
    const middle: ModelIR = {
      className: 'Sequential',
      name: 'middle',
      layers: [layer('inner', 'Sequential', [{ inputs: [] }], inner)],
      inputs: [],
      outputs: [],
    };
    const outer: ModelIR = {
      className: 'Functional',
      name: 'outer',
      layers: [layer('x', 'InputLayer', []), layer('middle', 'Sequential', [{ inputs: [ref('x')] }], middle)],
      inputs: [ref('x')],
      outputs: [ref('middle')],
    };
    expect([...walkLayers(outer)].map(({ layer: l, path }) => `${path.join('/')}:${l.name}`)).toEqual([
      'outer:x',
      'outer:middle',
      'outer/middle:inner',
      'outer/middle/inner:d',
    ]);
  });
});
