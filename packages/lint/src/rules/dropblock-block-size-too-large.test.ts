import { describe, expect, it } from 'vitest';
import { conv2d, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'dropblock-block-size-too-large';

describe(ID, () => {
  it('flags block_size ≥ the map size, using inferred shapes', () => {
    const model = sequential('m', [
      input('in', [null, 7, 7, 3]),
      conv2d('c', { padding: 'same', strides: [1, 1], dilation_rate: [1, 1] }),
      L('DropBlock2D', 'db', { rate: 0.1, block_size: 7 }),
    ]);
    const shapes = new Map([['c', [[[null, 7, 7, 8]]]]]);
    const [finding] = findingsOf(ID, model, { shapes });
    expect(finding?.message).toContain('7×7');
  });

  it('reads channels_first maps and tuple block sizes', () => {
    const model = sequential('m', [
      input('in', [null, 3, 16, 5]),
      conv2d('c', { data_format: 'channels_first' }),
      L('DropBlock2D', 'db', { rate: 0.1, block_size: [3, 5] }),
    ]);
    const shapes = new Map([['c', [[[null, 8, 16, 5]]]]]);
    expect(flagged(ID, model, { shapes })).toEqual(['db']);
  });

  it('does not flag smaller blocks or unknown shapes', () => {
    const model = sequential('m', [
      input('in', [null, 14, 14, 3]),
      conv2d('c'),
      L('DropBlock2D', 'db', { rate: 0.1, block_size: 7 }),
    ]);
    expect(flagged(ID, model, { shapes: new Map([['c', [[[null, 14, 14, 8]]]]]) })).toEqual([]);
    expect(flagged(ID, model, { shapes: new Map([['c', [[[null, null, null, 8]]]]]) })).toEqual([]);
  });
});
