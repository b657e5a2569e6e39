import { describe, expect, it } from 'vitest';
import { closestName, editDistance, snakeToCamel } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions (Levenshtein)', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('dropout-rate-zero', 'dropout-rate-zero')).toBe(0);
    expect(editDistance('no-trailing-dropout', 'no-trailng-dropout')).toBe(1);
  });
});

describe('closestName', () => {
  const options = ['kernelSize', 'strides', 'padding', 'batchSize', 'validationSplit', 'inputs', 'outputs'];

  it('maps Keras snake_case to the camelCase option', () => {
    expect(snakeToCamel('kernel_size')).toBe('kernelSize');
    expect(snakeToCamel('validation_split')).toBe('validationSplit');
    expect(closestName('batch_size', options)).toBe('batchSize');
    expect(closestName('validation_split', options)).toBe('validationSplit');
  });

  it('finds near misses and case slips, and nothing for unrelated names', () => {
    expect(closestName('input', options)).toBe('inputs');
    expect(closestName('stride', options)).toBe('strides');
    expect(closestName('KernelSize', options)).toBe('kernelSize');
    expect(closestName('activation', options)).toBeUndefined();
  });
});
