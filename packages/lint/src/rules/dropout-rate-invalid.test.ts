import { describe, expect, it } from 'vitest';
import { dense, dropout, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'dropout-rate-invalid';

describe(ID, () => {
  it('flags rates below 0, of 1 and above 1, and non-numbers', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dropout('neg', -0.1),
      dropout('one', 1),
      dropout('big', 1.5),
      L('AlphaDropout', 'alpha', { rate: 1 }),
      L('Dropout', 'str', { rate: '0.5' }),
    ]);
    expect(flagged(ID, model)).toEqual(['neg', 'one', 'big', 'alpha', 'str']);
    expect(findingsOf(ID, model)[0]?.message).toContain('expected a number in [0, 1)');
  });

  it('checks RNN dropout/recurrent_dropout and attention dropout', () => {
    const model = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'lstm', { units: 4, dropout: 0.2, recurrent_dropout: 1.2, return_sequences: true }),
      L('GRU', 'gru', { units: 4, dropout: -1 }),
    ]);
    expect(findingsOf(ID, model).map((f) => `${f.layer.name}:${f.message.split(' has ')[1]!.split(';')[0]}`)).toEqual([
      'lstm:recurrent_dropout 1.2',
      'gru:dropout -1',
    ]);
  });

  it('accepts rates in [0, 1)', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dropout('a', 0),
      dropout('b', 0.999),
      dense('d'),
      L('LSTM', 'l', { dropout: 0, recurrent_dropout: 0.5 }),
    ]);
    expect(flagged(ID, model)).toEqual([]);
  });
});
