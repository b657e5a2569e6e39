import { describe, expect, it } from 'vitest';
import { conv2d, dense, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'spatial-dropout-rank-mismatch';

describe(ID, () => {
  it('flags SpatialDropout2D after Flatten/Dense and suggests the matching variant', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      L('Flatten', 'f'),
      L('SpatialDropout2D', 'sd', { rate: 0.1 }),
      dense('o'),
    ]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.message).toContain('needs a 4-D input but receives a 2-D tensor');
    expect(finding?.hint).toBe('Use Dropout here.');
  });

  it('flags SpatialDropout2D on a sequence (suggests SpatialDropout1D), using rank without shape inference', () => {
    const model = sequential('m', [
      L('Embedding', 'emb', { input_dim: 100, output_dim: 8, batch_input_shape: [null, 20] }),
      L('SpatialDropout2D', 'sd', { rate: 0.1 }),
    ]);
    expect(findingsOf(ID, model, { shapes: new Map() })[0]?.hint).toBe('Use SpatialDropout1D here.');
  });

  it('does not flag matching ranks or unknown ranks', () => {
    const ok = sequential('m', [input('in', [null, 8, 8, 3]), conv2d('c'), L('SpatialDropout2D', 'sd', { rate: 0.1 })]);
    expect(flagged(ID, ok)).toEqual([]);
    const seq = sequential('m', [
      input('in', [null, 10, 4]),
      L('LSTM', 'l', { units: 4, return_sequences: true }),
      L('SpatialDropout1D', 'sd', { rate: 0.1 }),
    ]);
    expect(flagged(ID, seq)).toEqual([]);
    const unknown = sequential('m', [L('CustomThing', 'x'), L('SpatialDropout2D', 'sd', { rate: 0.1 })]);
    expect(flagged(ID, unknown)).toEqual([]);
  });
});
