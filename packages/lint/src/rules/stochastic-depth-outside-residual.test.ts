import { describe, expect, it } from 'vitest';
import { conv2d, functional, input, L } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'stochastic-depth-outside-residual';

describe(ID, () => {
  it('accepts StochasticDepth([shortcut, residual]) of a residual block', () => {
    const model = functional('m', [
      input('in', [null, 8, 8, 4]),
      conv2d('c1', { filters: 4 }, ['in']),
      conv2d('c2', { filters: 4 }, ['c1']),
      L('StochasticDepth', 'sd', { rate: 0.1 }, ['in', 'c2']),
    ]);
    expect(flagged(ID, model)).toEqual([]);
  });

  it('flags StochasticDepth on two unrelated tensors, or with swapped arguments', () => {
    const unrelated = functional('m', [
      input('a', [null, 4]),
      input('b', [null, 4]),
      L('StochasticDepth', 'sd', { rate: 0.1 }, ['a', 'b']),
    ]);
    expect(findingsOf(ID, unrelated)[0]?.message).toContain("['a', 'b']");
    const swapped = functional('m', [
      input('in', [null, 8, 8, 4]),
      conv2d('c1', { filters: 4 }, ['in']),
      L('StochasticDepth', 'sd', { rate: 0.1 }, ['c1', 'in']),
    ]);
    expect(flagged(ID, swapped)).toEqual(['sd']);
  });

  it('DropPath must feed an Add with the block input', () => {
    const ok = functional('m', [
      input('in', [null, 4]),
      L('Dense', 'branch', { units: 4 }, ['in']),
      L('DropPath', 'dp', { rate: 0.1 }, ['branch']),
      L('Add', 'add', {}, ['in', 'dp']),
    ]);
    expect(flagged(ID, ok)).toEqual([]);
    const bad = functional('m', [
      input('in', [null, 4]),
      L('Dense', 'branch', { units: 4 }, ['in']),
      L('DropPath', 'dp', { rate: 0.1 }, ['branch']),
      L('Dense', 'o', { units: 2 }, ['dp']),
    ]);
    expect(flagged(ID, bad)).toEqual(['dp']);
  });
});
