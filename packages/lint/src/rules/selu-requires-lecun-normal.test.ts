import { describe, expect, it } from 'vitest';
import { dense, input, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

describe('selu-requires-lecun-normal', () => {
  const ID = 'selu-requires-lecun-normal';
  it('flags selu with glorot_uniform, accepts lecun_normal strings and class dicts', () => {
    const bad = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'selu', kernel_initializer: { class_name: 'GlorotUniform', config: {} } }),
    ]);
    expect(findingsOf(ID, bad)[0]?.message).toContain('GlorotUniform');
    const ok1 = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'selu', kernel_initializer: 'lecun_normal' }),
    ]);
    const ok2 = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'selu', kernel_initializer: { class_name: 'LecunNormal', config: { seed: null } } }),
    ]);
    const relu = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'relu', kernel_initializer: 'glorot_uniform' }),
    ]);
    for (const m of [ok1, ok2, relu]) expect(flagged(ID, m)).toEqual([]);
  });
});
