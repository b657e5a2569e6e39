import { describe, expect, it } from 'vitest';
import { conv2d, dropout, input, L, sequential } from '../testing/models.js';
import { flagged } from '../testing/run.js';

describe('dropout-before-pooling (off by default)', () => {
  const ID = 'dropout-before-pooling';
  it('flags Dropout → MaxPooling2D when enabled, not Dropout → AveragePooling2D', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      dropout('d', 0.1),
      L('MaxPooling2D', 'p'),
    ]);
    expect(flagged(ID, model)).toEqual(['d']);
    const avg = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      dropout('d', 0.1),
      L('AveragePooling2D', 'p'),
    ]);
    expect(flagged(ID, avg)).toEqual([]);
  });
});
