import { describe, expect, it } from 'vitest';
import { dense, dropout, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

describe('prefer-variational-rnn-dropout', () => {
  const ID = 'prefer-variational-rnn-dropout';
  it('flags plain Dropout between stacked LSTMs', () => {
    const model = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l1', { units: 8, return_sequences: true }),
      dropout('d', 0.2),
      L('LSTM', 'l2', { units: 8 }),
    ]);
    expect(findingsOf(ID, model)[0]?.hint).toContain("dropout= on 'l2'");
  });
  it('not with a time-broadcast noise_shape, nor before Dense', () => {
    const broadcast = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l1', { units: 8, return_sequences: true }),
      dropout('d', 0.2, { noise_shape: [null, 1, 8] }),
      L('LSTM', 'l2', { units: 8 }),
    ]);
    const head = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l1', { units: 8 }),
      dropout('d', 0.2),
      dense('o'),
    ]);
    expect(flagged(ID, broadcast)).toEqual([]);
    expect(flagged(ID, head)).toEqual([]);
  });
});
