import { describe, expect, it } from 'vitest';
import { applyFixes, fixableFindings } from './fixes.js';
import { lintModel } from './engine.js';
import { conv2d, dense, dropout, functional, input, L, sequential } from './testing/models.js';

describe('applyFixes', () => {
  it('applies overlapping safe fixes consistently: rate-0 removal then merge', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      dropout('a', 0),
      dropout('b', 0.5),
      dropout('c', 0.5),
      dense('out'),
    ]);
    const { findings } = lintModel(model);
    expect(fixableFindings(findings, { unsafe: false }).map((f) => `${f.ruleId}@${f.layer.name}`)).toEqual([
      'dropout-rate-zero@a',
      'no-consecutive-dropout@b',
      'no-consecutive-dropout@c',
    ]);
    const fixed = applyFixes(model, findings, { unsafe: false });
    expect(fixed.layers.map((l) => l.name)).toEqual(['in', 'd', 'b', 'out']);
    expect(fixed.layers[2]!.config['rate']).toBe(0.75);
    expect(fixed.layers[2]!.nodes[0]!.inputs[0]!.layer).toBe('d');
    expect(fixed.layers[3]!.nodes[0]!.inputs[0]!.layer).toBe('b');
    // What remains is the honest consequence of the merge: 75% is a high rate.
    expect(lintModel(fixed).findings.map((f) => `${f.ruleId}@${f.layer.name}`)).toEqual(['dropout-rate-high@b']);
  });

  it('leaves the input model untouched and skips unsafe fixes unless asked', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      dropout('d', 0.2),
      L('GlobalAveragePooling2D', 'g'),
    ]);
    const before = structuredClone(model);
    const { findings } = lintModel(model);
    expect(fixableFindings(findings, { unsafe: false })).toEqual([]);
    expect(applyFixes(model, findings, { unsafe: false })).toEqual(before);
    const fixed = applyFixes(model, findings, { unsafe: true });
    expect(fixed.layers[2]!.className).toBe('SpatialDropout2D');
    expect(model).toEqual(before);
  });

  it('fixes layers inside nested models', () => {
    const inner = sequential('block', [input('bin', [null, 4]), dense('x'), dropout('z', 0), dense('y')]);
    const model = functional('outer', [
      input('in', [null, 4]),
      { className: 'Sequential', name: 'block', config: {}, inputs: ['in'], model: inner },
    ]);
    const fixed = applyFixes(model, lintModel(model).findings, { unsafe: false });
    expect(fixed.layers[1]!.model!.layers.map((l) => l.name)).toEqual(['bin', 'x', 'y']);
    expect(fixed.layers[1]!.model!.layers[2]!.nodes[0]!.inputs[0]!.layer).toBe('x');
  });
});
