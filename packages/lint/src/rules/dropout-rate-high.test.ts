import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'dropout-rate-high';

describe(ID, () => {
  it('reports rates above max as info and at/above warnAt with the configured severity', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('a'),
      dropout('mid', 0.6),
      dense('b'),
      dropout('high', 0.85),
      dense('out'),
    ]);
    expect(findingsOf(ID, model).map((f) => [f.layer.name, f.severity])).toEqual([
      ['mid', 'info'],
      ['high', 'warn'],
    ]);
  });

  it('honours max and warnAt options', () => {
    const model = sequential('m', [input('in', [null, 4]), dense('a'), dropout('d', 0.4), dense('out')]);
    expect(flagged(ID, model)).toEqual([]);
    expect(findingsOf(ID, model, { options: { max: 0.3, warnAt: 0.4 } }).map((f) => f.severity)).toEqual(['warn']);
  });

  it('does not flag 0.5 (Srivastava et al. hidden-unit default) nor input dropout (own rule)', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dropout('in_drop', 0.9),
      dense('a'),
      dropout('d', 0.5),
      dense('out'),
    ]);
    expect(flagged(ID, model)).toEqual([]);
  });

  it('downgrades MC dropout to info', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dense('a', {}, ['in']),
      { ...dropout('mc', 0.9, {}, ['a']), kwargs: { training: true } },
      dense('out', {}, ['mc']),
    ]);
    expect(findingsOf(ID, model).map((f) => f.severity)).toEqual(['info']);
  });
});
