import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'input-dropout-rate-high';

describe(ID, () => {
  it('flags input dropout above 0.2, also through Rescaling and on a Keras 2 first layer', () => {
    const model = sequential('m', [input('in', [null, 4]), dropout('drop', 0.5), dense('out')]);
    expect(findingsOf(ID, model)[0]?.message).toContain('50% of the model input');
    const rescaled = sequential('m', [
      input('in', [null, 4]),
      L('Rescaling', 'r', { scale: 1 / 255 }),
      dropout('drop', 0.3),
      dense('out'),
    ]);
    expect(flagged(ID, rescaled)).toEqual(['drop']);
    const keras2 = sequential('m', [dropout('drop', 0.3, { batch_input_shape: [null, 4] }), dense('out')]);
    expect(flagged(ID, keras2)).toEqual(['drop']);
  });

  it('does not flag 0.2 on inputs, nor hidden dropout', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dropout('drop', 0.2),
      dense('a'),
      dropout('hidden', 0.5),
      dense('out'),
    ]);
    expect(flagged(ID, model)).toEqual([]);
  });

  it('honours max, and only counts model inputs in functional graphs', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dropout('drop', 0.3, {}, ['in']),
      dense('out', {}, ['drop']),
    ]);
    expect(flagged(ID, model, { options: { max: 0.3 } })).toEqual([]);
    expect(flagged(ID, model)).toEqual(['drop']);
  });
});
