import { describe, expect, it } from 'vitest';
import { applyFixes } from '../fixes.js';
import { dense, dropout, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'selu-prefers-alpha-dropout';

describe(ID, () => {
  it('flags Dropout between selu layers; the unsafe fix makes it AlphaDropout', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('a', { activation: 'selu' }),
      dropout('d', 0.1),
      dense('b', { activation: 'selu' }),
    ]);
    const found = findingsOf(ID, model);
    expect(found.map((f) => f.layer.name)).toEqual(['d']);
    const fixed = applyFixes(model, found, { unsafe: true });
    expect(fixed.layers[2]).toMatchObject({ className: 'AlphaDropout', config: { rate: 0.1, name: 'd' } });
  });

  it('finds selu through a linear Dense + Activation downstream', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('a', { activation: 'selu' }),
      dropout('d', 0.1),
      dense('b', { activation: 'linear' }),
      L('Activation', 'act', { activation: 'selu' }),
    ]);
    expect(flagged(ID, model)).toEqual(['d']);
  });

  it('does not flag when either side is not selu (dl4j MLP: selu → Dropout → linear Dense)', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('a', { activation: 'selu' }),
      dropout('d', 0.1),
      dense('b', { activation: 'linear' }),
      L('Activation', 'act', { activation: 'softmax' }),
    ]);
    expect(flagged(ID, model)).toEqual([]);
    const relu = sequential('m', [
      input('in', [null, 4]),
      dense('a', { activation: 'relu' }),
      dropout('d', 0.1),
      dense('b', { activation: 'selu' }),
    ]);
    expect(flagged(ID, relu)).toEqual([]);
  });
});
