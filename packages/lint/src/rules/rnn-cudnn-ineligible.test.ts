import { describe, expect, it } from 'vitest';
import { input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

describe('rnn-cudnn-ineligible', () => {
  const ID = 'rnn-cudnn-ineligible';
  it('lists the settings that rule out cuDNN', () => {
    const model = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l', { units: 8, recurrent_dropout: 0.2, activation: 'relu', unroll: true }),
      L('GRU', 'g', { units: 4, reset_after: false }),
    ]);
    expect(findingsOf(ID, model).map((f) => f.message)).toEqual([
      "'l' (LSTM) cannot use the cuDNN kernel (recurrent_dropout=0.2, activation=relu, unroll=true).",
      "'g' (GRU) cannot use the cuDNN kernel (reset_after=false).",
    ]);
  });
  it('accepts the defaults, including dropout > 0 (fixed in Keras 3, #19644)', () => {
    const model = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l', {
        units: 8,
        dropout: 0.2,
        recurrent_dropout: 0,
        activation: 'tanh',
        recurrent_activation: 'sigmoid',
        use_bias: true,
      }),
    ]);
    expect(flagged(ID, model)).toEqual([]);
  });
});
