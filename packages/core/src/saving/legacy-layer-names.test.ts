import type { LayerIR, ModelIR, WeightEntry } from '@strata/graph';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renameWeightEntries, sanitizeLegacyLayerNames } from './legacy-layer-names.js';

const layer = (name: string, inputs: string[] = [], config: LayerIR['config'] = {}): LayerIR => ({
  className: 'Dense',
  name,
  config: { name, ...config },
  nodes: inputs.length === 0 ? [] : [{ inputs: inputs.map((l) => ({ layer: l, node: 0, index: 0 })) }],
});

describe('sanitizeLegacyLayerNames / renameWeightEntries', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('keeps names unique, renames references, inputs/outputs and wrapped layers, warns once', () => {
    const ir: ModelIR = {
      className: 'Model',
      name: 'm',
      layers: [
        layer('in'),
        layer('a_b', ['in']),
        layer('a/b', ['a_b']),
        {
          ...layer('td/x', ['a/b'], { layer: { class_name: 'Dense', config: { name: 'inner/dense' } } }),
          className: 'TimeDistributed',
        },
      ],
      inputs: [{ layer: 'in', node: 0, index: 0 }],
      outputs: [{ layer: 'td/x', node: 0, index: 0 }],
    };
    const { ir: out, renames } = sanitizeLegacyLayerNames(ir, 'file.h5');
    expect(out.layers.map((l) => l.name)).toEqual(['in', 'a_b', 'a_b_1', 'td_x']);
    expect(out.layers[2]!.config['name']).toBe('a_b_1');
    expect(out.layers[3]!.nodes[0]!.inputs[0]!.layer).toBe('a_b_1');
    expect(out.outputs[0]!.layer).toBe('td_x');
    expect(JSON.stringify(out.layers[3]!.config['layer'])).toContain('"inner_dense"');
    expect([...renames]).toEqual([
      ['a/b', 'a_b_1'],
      ['td/x', 'td_x'],
      ['inner/dense', 'inner_dense'],
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^file\.h5 has layer names containing "\/".*"a\/b" → "a_b_1", "td\/x" → "td_x", "inner\/dense" → "inner_dense"/,
    );
    // Nothing to rename: same object back, no warning.
    expect(sanitizeLegacyLayerNames(out).ir).toBe(out);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('rewrites weight paths segment-wise, longest name first, and the owning layer', () => {
    const entry = (path: string, layerName?: string): WeightEntry => ({
      path,
      shape: [1],
      dtype: 'float32',
      data: new Float32Array(1),
      ...(layerName ? { layerName } : {}),
    });
    const renames = new Map([
      ['a/b', 'a_b'],
      ['a/b/c', 'a_b_c'],
    ]);
    const out = renameWeightEntries(
      [entry('a/b/c/kernel:0', 'outer'), entry('a/b/kernel:0', 'a/b'), entry('x/a/b/bias'), entry('a/bc/kernel:0')],
      renames,
    );
    expect(out.map((e) => [e.path, e.layerName])).toEqual([
      ['a_b_c/kernel:0', 'outer'],
      ['a_b/kernel:0', 'a_b'],
      ['x/a_b/bias', undefined],
      ['a/bc/kernel:0', undefined],
    ]);
  });
});
