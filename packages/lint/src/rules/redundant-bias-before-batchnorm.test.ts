import { describe, expect, it } from 'vitest';
import { conv2d, dense, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

describe('redundant-bias-before-batchnorm', () => {
  const ID = 'redundant-bias-before-batchnorm';
  it('flags a linear Conv with bias directly before BN(center=true)', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c', { activation: 'linear', use_bias: true }),
      L('BatchNormalization', 'bn', { center: true, axis: -1 }),
    ]);
    expect(findingsOf(ID, model)[0]?.hint).toBe("Set use_bias=false on 'c'.");
  });
  it('not with center=false, use_bias=false, or an activation in between', () => {
    const noCenter = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      L('BatchNormalization', 'bn', { center: false }),
    ]);
    const noBias = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear', use_bias: false }),
      L('BatchNormalization', 'bn'),
    ]);
    const act = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      L('ReLU', 'r'),
      L('BatchNormalization', 'bn'),
    ]);
    const relu = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'relu' }),
      L('BatchNormalization', 'bn'),
    ]);
    for (const m of [noCenter, noBias, act, relu]) expect(flagged(ID, m)).toEqual([]);
  });
});
