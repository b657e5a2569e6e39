import { describe, expect, it } from 'vitest';
import { checkModelGraph } from './graph-check.js';
import type { LayerIR, ModelIR } from './ir.js';

const layer = (name: string, from: [string, number][] = [], model?: ModelIR): LayerIR => ({
  className: model ? 'Functional' : from.length === 0 ? 'InputLayer' : 'Dense',
  name,
  config: { name },
  nodes: from.length === 0 ? [] : from.map(([source, node]) => ({ inputs: [{ layer: source, node, index: 0 }] })),
  ...(model ? { model } : {}),
});
const functional = (name: string, layers: LayerIR[], output: string, outputNode = 0): ModelIR => ({
  className: 'Functional',
  name,
  layers,
  inputs: [{ layer: layers[0]!.name, node: 0, index: 0 }],
  outputs: [{ layer: output, node: outputNode, index: 0 }],
});

describe('checkModelGraph', () => {
  const inner = functional('inner', [layer('i'), layer('d', [['i', 0]])], 'd');

  it('accepts a nested model referenced from 0 (Keras 3 call arguments) or from 1 (Keras 2, Keras 3 outputs)', () => {
    const zeroBased = functional(
      'm',
      [
        layer('x'),
        {
          ...layer(
            'inner',
            [
              ['x', 0],
              ['x', 0],
            ],
            inner,
          ),
        },
        layer('add', [
          ['inner', 0],
          ['inner', 1],
        ]),
      ],
      'add',
    );
    const oneBased = functional(
      'm',
      [layer('x'), { ...layer('inner', [['x', 0]], inner) }, layer('out', [['inner', 1]])],
      'inner',
      1,
    );
    expect(() => checkModelGraph(zeroBased)).not.toThrow();
    expect(() => checkModelGraph(oneBased)).not.toThrow();
  });

  it('refuses dangling layers and nodes, cycles, and outputs naming no layer — in nested models too', () => {
    expect(() => checkModelGraph(functional('m', [layer('x'), layer('d', [['ghost', 0]])], 'd'))).toThrow(
      'layer "d" node 0: input refers to missing layer "ghost"',
    );
    expect(() =>
      checkModelGraph(functional('m', [layer('x'), layer('d', [['x', 0]]), layer('e', [['d', 3]])], 'e')),
    ).toThrow('layer "e" node 0: input refers to missing node 3 of layer "d"');
    expect(() =>
      checkModelGraph(functional('m', [layer('x'), layer('a', [['b', 0]]), layer('b', [['a', 0]])], 'b')),
    ).toThrow('model "m": the layer graph has a cycle through "a", "b"');
    expect(() => checkModelGraph(functional('m', [layer('x'), layer('d', [['x', 0]])], 'nowhere'))).toThrow(
      'model "m": output refers to missing layer "nowhere"',
    );
    const brokenInner = functional('inner', [layer('i'), layer('d', [['gone', 0]])], 'd');
    expect(() =>
      checkModelGraph(functional('m', [layer('x'), layer('inner', [['x', 0]], brokenInner)], 'inner', 1)),
    ).toThrow('input refers to missing layer "gone"');
  });
});
