import { describe, expect, it } from 'vitest';
import { conv2d, input, L, sequential } from '../testing/models.js';
import { flagged } from '../testing/run.js';

describe('dropblock-rate-range', () => {
  const ID = 'dropblock-rate-range';
  it('flags DropBlock2D rates outside 0.05-0.25 only', () => {
    const model = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('c'),
      L('DropBlock2D', 'hi', { rate: 0.5, block_size: 3 }),
      L('DropBlock2D', 'ok', { rate: 0.1, block_size: 3 }),
      L('DropBlock2D', 'lo', { rate: 0.01, block_size: 3 }),
    ]);
    expect(flagged(ID, model)).toEqual(['hi', 'lo']);
  });
});
