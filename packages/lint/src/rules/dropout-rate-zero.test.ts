import { describe, expect, it } from 'vitest';
import { applyFixes } from '../fixes.js';
import { dense, dropout, functional, input, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'dropout-rate-zero';

describe(ID, () => {
  it('flags rate 0 as a no-op with a safe removal fix', () => {
    const model = sequential('m', [input('in', [null, 4]), dense('d'), dropout('drop', 0), dense('out')]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.layer.name).toBe('drop');
    expect(finding?.fix?.kind).toBe('safe');
    const fixed = applyFixes(model, [finding!], { unsafe: false });
    expect(fixed.layers.map((l) => l.name)).toEqual(['in', 'd', 'out']);
    expect(fixed.layers[2]!.nodes[0]!.inputs[0]!.layer).toBe('d');
    expect(model.layers).toHaveLength(4);
  });

  it('rewires every consumer and the outputs in a functional graph', () => {
    const model = functional(
      'm',
      [
        input('in', [null, 4]),
        dense('d', {}, ['in']),
        dropout('drop', 0, {}, ['d']),
        dense('a', {}, ['drop']),
        dense('b', {}, ['drop']),
      ],
      ['a', 'b', 'drop'],
    );
    const fixed = applyFixes(model, findingsOf(ID, model), { unsafe: false });
    expect(fixed.layers.find((l) => l.name === 'a')!.nodes[0]!.inputs[0]!.layer).toBe('d');
    expect(fixed.layers.find((l) => l.name === 'b')!.nodes[0]!.inputs[0]!.layer).toBe('d');
    expect(fixed.outputs.map((o) => o.layer)).toEqual(['a', 'b', 'd']);
  });

  it('moves a Keras 2 batch_input_shape when removing the first layer of a Sequential model', () => {
    const model = sequential('m', [dropout('drop', 0, { batch_input_shape: [null, 4] }), dense('d')]);
    const fixed = applyFixes(model, findingsOf(ID, model), { unsafe: false });
    expect(fixed.layers.map((l) => l.name)).toEqual(['d']);
    expect(fixed.layers[0]!.config['batch_input_shape']).toEqual([null, 4]);
    expect(fixed.layers[0]!.nodes).toEqual([]);
  });

  it('does not flag non-zero rates', () => {
    const model = sequential('m', [input('in', [null, 4]), dropout('drop', 0.01), dense('out')]);
    expect(flagged(ID, model)).toEqual([]);
  });
});
