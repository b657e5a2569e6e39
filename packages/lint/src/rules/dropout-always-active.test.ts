import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'dropout-always-active';

describe(ID, () => {
  it('flags a Dropout called with training=True (Keras 3 kwargs) and MC dropout classes', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dense('d', {}, ['in']),
      { ...dropout('mc', 0.2, {}, ['d']), kwargs: { training: true } },
      L('MCDropout', 'mc2', { rate: 0.2 }, ['mc']),
      dense('o', {}, ['mc2']),
    ]);
    const found = findingsOf(ID, model);
    expect(found.map((f) => f.layer.name)).toEqual(['mc', 'mc2']);
    expect(found[0]?.message).toContain('training=True');
  });

  it('does not flag ordinary dropout or training=False', () => {
    const plain = sequential('m', [input('in', [null, 4]), dense('d'), dropout('drop', 0.2), dense('o')]);
    expect(flagged(ID, plain)).toEqual([]);
    const off = functional('m', [
      input('in', [null, 4]),
      { ...dropout('drop', 0.2, {}, ['in']), kwargs: { training: false } },
    ]);
    expect(flagged(ID, off)).toEqual([]);
  });
});
