import { describe, expect, it } from 'vitest';
import { applyFixes } from '../fixes.js';
import { conv2d, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'spatial-dropout-data-format-mismatch';

describe(ID, () => {
  it('flags SpatialDropout2D channels_last after a channels_first conv, with an unsafe fix', () => {
    const model = sequential('m', [
      input('in', [null, 3, 16, 16]),
      conv2d('c', { data_format: 'channels_first' }),
      L('SpatialDropout2D', 'sd', { rate: 0.1, data_format: 'channels_last' }),
    ]);
    const found = findingsOf(ID, model);
    expect(found.map((f) => f.layer.name)).toEqual(['sd']);
    expect(found[0]?.hint).toContain("data_format='channels_first'");
    const fixed = applyFixes(model, found, { unsafe: true });
    expect(fixed.layers[2]!.config['data_format']).toBe('channels_first');
    expect(applyFixes(model, found, { unsafe: false }).layers[2]!.config['data_format']).toBe('channels_last');
  });

  it('sees through BatchNormalization and activations; pooling defines the layout too', () => {
    const model = sequential('m', [
      input('in', [null, 3, 16, 16]),
      conv2d('c', { data_format: 'channels_first' }),
      L('BatchNormalization', 'bn', { axis: 1 }),
      L('ReLU', 'r'),
      L('SpatialDropout2D', 'sd', { rate: 0.1, data_format: 'channels_last' }),
    ]);
    expect(flagged(ID, model)).toEqual(['sd']);
  });

  it('does not flag matching formats or a null format', () => {
    const same = sequential('m', [
      input('in', [null, 16, 16, 3]),
      conv2d('c'),
      L('SpatialDropout2D', 'sd', { rate: 0.1, data_format: 'channels_last' }),
    ]);
    expect(flagged(ID, same)).toEqual([]);
    const unset = sequential('m', [
      input('in', [null, 3, 16, 16]),
      conv2d('c', { data_format: 'channels_first' }),
      L('SpatialDropout2D', 'sd', { rate: 0.1, data_format: null }),
    ]);
    expect(flagged(ID, unset)).toEqual([]);
  });
});
