import { describe, expect, it } from 'vitest';
import { applyFixes } from '../fixes.js';
import { dense, dropout, functional, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';
import { combinedRate } from './no-consecutive-dropout.js';

const ID = 'no-consecutive-dropout';

describe(ID, () => {
  it('combines keep probabilities: 0.5 then 0.5 is 0.75', () => {
    expect(combinedRate(0.5, 0.5)).toBe(0.75);
    expect(combinedRate(0.2, 0)).toBeCloseTo(0.2);
  });

  it('flags the second of two dropouts, with the effective rate and a safe fix', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      dropout('a', 0.5),
      dropout('b', 0.5),
      dense('out'),
    ]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.layer.name).toBe('b');
    expect(finding?.message).toContain('effective rate 0.75');
    expect(finding?.fix?.kind).toBe('safe');
  });

  it('the safe fix merges into one Dropout and rewires the consumer', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      dropout('a', 0.5),
      dropout('b', 0.2),
      dense('out'),
    ]);
    const fixed = applyFixes(model, findingsOf(ID, model), { unsafe: false });
    expect(fixed.layers.map((l) => l.name)).toEqual(['in', 'd', 'a', 'out']);
    expect(fixed.layers[2]!.config['rate']).toBeCloseTo(0.6);
    expect(fixed.layers[3]!.nodes[0]!.inputs).toEqual([{ layer: 'a', node: 0, index: 0 }]);
    expect(flagged(ID, fixed)).toEqual([]);
  });

  it('rewires model outputs when the second dropout is an output', () => {
    const model = functional(
      'm',
      [input('in', [null, 4]), dense('d', {}, ['in']), dropout('a', 0.5, {}, ['d']), dropout('b', 0.5, {}, ['a'])],
      ['b'],
    );
    const fixed = applyFixes(model, findingsOf(ID, model), { unsafe: false });
    expect(fixed.outputs).toEqual([{ layer: 'a', node: 0, index: 0 }]);
  });

  it('reports mixed kinds without a fix, and does not flag dropouts separated by a Dense', () => {
    const mixed = sequential('m', [
      input('in', [null, 8, 8, 3]),
      L('SpatialDropout2D', 's', { rate: 0.1 }),
      dropout('d', 0.1),
    ]);
    const found = findingsOf(ID, mixed);
    expect(found.map((f) => f.layer.name)).toEqual(['d']);
    expect(found[0]?.fix).toBeUndefined();
    const apart = sequential('m', [
      input('in', [null, 4]),
      dropout('a', 0.1),
      dense('d'),
      dropout('b', 0.1),
      dense('o'),
    ]);
    expect(flagged(ID, apart)).toEqual([]);
  });

  it('has no fix when the first dropout also feeds another layer', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dropout('a', 0.1, {}, ['in']),
      dropout('b', 0.1, {}, ['a']),
      dense('x', {}, ['a']),
      L('Add', 'add', {}, ['b', 'x']),
    ]);
    const found = findingsOf(ID, model);
    expect(found.map((f) => f.layer.name)).toEqual(['b']);
    expect(found[0]?.fix).toBeUndefined();
  });
});
