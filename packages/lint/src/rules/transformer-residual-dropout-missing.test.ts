import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, L } from '../testing/models.js';
import { flagged } from '../testing/run.js';

describe('transformer-residual-dropout-missing (off by default)', () => {
  const ID = 'transformer-residual-dropout-missing';
  const block = (withDropout: boolean) =>
    functional('m', [
      input('in', [null, 10, 16]),
      L('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 8 }, ['in', 'in']),
      ...(withDropout ? [dropout('rd', 0.1, {}, ['mha'])] : []),
      L('Add', 'add', {}, ['in', withDropout ? 'rd' : 'mha']),
      dense('ffn', { units: 16 }, ['add']),
      dropout('ffd', 0.1, {}, ['ffn']),
    ]);
  it('flags an attention output added without dropout when the model uses dropout', () => {
    expect(flagged(ID, block(false))).toEqual(['mha']);
    expect(flagged(ID, block(true))).toEqual([]);
  });
});
