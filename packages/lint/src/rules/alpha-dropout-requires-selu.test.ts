import { describe, expect, it } from 'vitest';
import { dense, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'alpha-dropout-requires-selu';

describe(ID, () => {
  it('flags AlphaDropout after relu', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'relu' }),
      L('AlphaDropout', 'ad', { rate: 0.1 }),
      dense('o'),
    ]);
    expect(findingsOf(ID, model)[0]?.message).toContain('relu');
  });

  it('accepts selu (Dense or Activation layer) and raw inputs', () => {
    const dense_ = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'selu' }),
      L('AlphaDropout', 'ad', { rate: 0.1 }),
      dense('o'),
    ]);
    expect(flagged(ID, dense_)).toEqual([]);
    const act = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      L('Activation', 'a', { activation: 'selu' }),
      L('AlphaDropout', 'ad', { rate: 0.1 }),
    ]);
    expect(flagged(ID, act)).toEqual([]);
    const raw = sequential('m', [
      input('in', [null, 4]),
      L('AlphaDropout', 'ad', { rate: 0.1 }),
      dense('o', { activation: 'selu' }),
    ]);
    expect(flagged(ID, raw)).toEqual([]);
  });
});
