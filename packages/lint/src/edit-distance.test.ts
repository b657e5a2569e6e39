import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions (Levenshtein)', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('dropout-rate-zero', 'dropout-rate-zero')).toBe(0);
    expect(editDistance('no-trailing-dropout', 'no-trailng-dropout')).toBe(1);
  });
});
