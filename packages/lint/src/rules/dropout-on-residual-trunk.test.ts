import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, L } from '../testing/models.js';
import { flagged } from '../testing/run.js';

describe('dropout-on-residual-trunk', () => {
  const ID = 'dropout-on-residual-trunk';
  it('flags dropout between two residual Adds on the identity path', () => {
    const model = functional('m', [
      input('in', [null, 4]),
      dense('b1', { activation: 'linear', units: 4 }, ['in']),
      L('Add', 'add1', {}, ['in', 'b1']),
      dropout('trunk', 0.1, {}, ['add1']),
      dense('b2', { activation: 'linear', units: 4 }, ['trunk']),
      L('Add', 'add2', {}, ['trunk', 'b2']),
    ]);
    expect(flagged(ID, model)).toEqual(['trunk']);
  });
  it('not for branch dropout, nor embedding dropout after token+position Add', () => {
    const branch = functional('m', [
      input('in', [null, 4]),
      dense('b1', { units: 4 }, ['in']),
      dropout('bd', 0.1, {}, ['b1']),
      L('Add', 'add1', {}, ['in', 'bd']),
    ]);
    const embed = functional('m', [
      input('in', [null, 10]),
      L('Embedding', 'tok', { input_dim: 10, output_dim: 4 }, ['in']),
      L('Embedding', 'pos', { input_dim: 10, output_dim: 4 }, ['in']),
      L('Add', 'sum', {}, ['tok', 'pos']),
      dropout('ed', 0.1, {}, ['sum']),
      dense('b', { units: 4 }, ['ed']),
      L('Add', 'add2', {}, ['ed', 'b']),
    ]);
    expect(flagged(ID, branch)).toEqual([]);
    expect(flagged(ID, embed)).toEqual([]);
  });
});
