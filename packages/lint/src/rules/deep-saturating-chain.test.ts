import { describe, expect, it } from 'vitest';
import { dense, functional, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'deep-saturating-chain';

const sigmoid = (name: string): ReturnType<typeof dense> => dense(name, { activation: 'sigmoid' });

describe(ID, () => {
  it('flags the layer where a chain of sigmoid/tanh layers exceeds maxDepth (once)', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      sigmoid('s1'),
      dense('t2', { activation: 'tanh' }),
      sigmoid('s3'),
      dense('lin', { activation: 'linear' }),
      L('Activation', 'a4', { activation: 'sigmoid' }),
      L('Activation', 'identity', { activation: 'linear' }),
      sigmoid('s5'),
      sigmoid('s6'),
    ]);
    const found = findingsOf(ID, model);
    expect(found.map((f) => f.layer.name)).toEqual(['s5']);
    expect(found[0]?.message).toContain("chain of 5 saturating activations starting at 's1'");
    expect(flagged(ID, model, { options: { maxDepth: 6 } })).toEqual([]);
  });

  it('is reset by normalization, relu and residual Adds', () => {
    const bn = sequential('m', [
      input('in', [null, 4]),
      sigmoid('s1'),
      sigmoid('s2'),
      sigmoid('s3'),
      L('BatchNormalization', 'bn'),
      sigmoid('s4'),
      sigmoid('s5'),
    ]);
    expect(flagged(ID, bn)).toEqual([]);
    const relu = sequential('m', [
      input('in', [null, 4]),
      sigmoid('s1'),
      sigmoid('s2'),
      dense('r'),
      sigmoid('s3'),
      sigmoid('s4'),
      sigmoid('s5'),
    ]);
    expect(flagged(ID, relu)).toEqual([]);
    const residual = functional('m', [
      input('in', [null, 4]),
      sigmoid('s1'),
      { ...sigmoid('s2'), inputs: ['in'] },
      { ...sigmoid('s3'), inputs: ['s2'] },
      L('Add', 'add', {}, ['in', 's3']),
      { ...sigmoid('s4'), inputs: ['add'] },
      { ...sigmoid('s5'), inputs: ['s4'] },
      { ...sigmoid('s6'), inputs: ['s5'] },
    ]);
    expect(flagged(ID, residual)).toEqual([]);
  });
});
