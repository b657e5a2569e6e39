import { describe, expect, it } from 'vitest';
import { conv2d, dense, dropout, functional, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'no-dropout-before-batchnorm';

describe(ID, () => {
  it('flags Dropout → BatchNormalization, also through activations', () => {
    const direct = sequential('m', [
      input('in', [null, 4]),
      dense('d1'),
      dropout('drop', 0.2),
      L('BatchNormalization', 'bn'),
      dense('out'),
    ]);
    const [finding] = findingsOf(ID, direct);
    expect(finding?.layer).toEqual({ name: 'drop', className: 'Dropout', path: [] });
    expect(finding?.message).toContain("'bn' (BatchNormalization)");
    const viaAct = sequential('m', [
      input('in', [null, 4]),
      dense('d1'),
      dropout('drop', 0.2),
      L('Activation', 'a', { activation: 'relu' }),
      L('BatchNormalization', 'bn'),
    ]);
    expect(flagged(ID, viaAct)).toEqual(['drop']);
  });

  it('covers the whole family (SpatialDropout2D, GaussianDropout)', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      L('SpatialDropout2D', 'sd', { rate: 0.1 }),
      L('BatchNormalization', 'bn'),
    ]);
    expect(flagged(ID, model)).toEqual(['sd']);
    const g = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      L('GaussianDropout', 'gd', { rate: 0.1 }),
      L('BatchNormalization', 'bn'),
    ]);
    expect(flagged(ID, g)).toEqual(['gd']);
  });

  it('does not flag BN → Dropout, nor Dropout → Dense → BN unless throughWeightLayers', () => {
    const after = sequential('m', [
      input('in', [null, 4]),
      dense('d1'),
      L('BatchNormalization', 'bn'),
      dropout('drop', 0.2),
      dense('out'),
    ]);
    expect(flagged(ID, after)).toEqual([]);
    const weights = sequential('m', [
      input('in', [null, 4]),
      dropout('drop', 0.2),
      dense('d1'),
      L('BatchNormalization', 'bn'),
    ]);
    expect(flagged(ID, weights)).toEqual([]);
    expect(flagged(ID, weights, { options: { throughWeightLayers: true } })).toEqual(['drop']);
  });

  it('reports MC dropout (training=True) as info only', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dense('d1', {}, ['in']),
      { ...dropout('drop', 0.2, {}, ['d1']), kwargs: { training: true } },
      L('BatchNormalization', 'bn', {}, ['drop']),
    ]);
    expect(findingsOf(ID, model).map((f) => f.severity)).toEqual(['info']);
  });

  it('skips wide layers when minChannels is set and the channel count is known', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d1', { units: 2048 }),
      dropout('drop', 0.2),
      L('BatchNormalization', 'bn'),
    ]);
    expect(flagged(ID, model)).toEqual(['drop']);
    expect(flagged(ID, model, { options: { minChannels: 1024 } })).toEqual([]);
  });
});
