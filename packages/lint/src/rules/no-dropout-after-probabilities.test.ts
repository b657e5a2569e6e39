import { describe, expect, it } from 'vitest';
import { dense, dropout, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'no-dropout-after-probabilities';

describe(ID, () => {
  it('flags Dropout after a softmax Dense that reaches the output', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      dense('probs', { activation: 'softmax' }),
      dropout('drop', 0.1),
    ]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.layer.name).toBe('drop');
    expect(finding?.severity).toBe('warn');
    expect(finding?.message).toContain('softmax');
    expect(finding?.hint).toBe("Move 'drop' before 'probs' (the layer computing the logits), or remove it.");
  });

  it('flags after Activation(sigmoid) and after a Softmax layer', () => {
    const act = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      L('Activation', 'sig', { activation: 'sigmoid' }),
      dropout('drop', 0.1),
    ]);
    expect(findingsOf(ID, act)[0]?.hint).toContain("before 'd' (the layer computing the logits)");
    const soft = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      L('Softmax', 'sm', { axis: -1 }),
      dropout('drop', 0.1),
    ]);
    expect(flagged(ID, soft)).toEqual(['drop']);
  });

  it('defaults to error in recommended', async () => {
    const { lintModel } = await import('../engine.js');
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('probs', { activation: 'sigmoid' }),
      dropout('drop', 0.1),
    ]);
    const found = lintModel(model).findings.filter((f) => f.ruleId === ID);
    expect(found.map((f) => f.severity)).toEqual(['error']);
  });

  it('does not flag when a weight layer follows (sigmoid gate → Dropout → Dense) or after relu', () => {
    const gated = sequential('m', [
      input('in', [null, 4]),
      dense('gate', { activation: 'sigmoid' }),
      dropout('drop', 0.1),
      dense('out', { activation: 'linear' }),
    ]);
    expect(flagged(ID, gated)).toEqual([]);
    const relu = sequential('m', [input('in', [null, 4]), dense('d', { activation: 'relu' }), dropout('drop', 0.1)]);
    expect(flagged(ID, relu)).toEqual([]);
  });

  it('also flags additive GaussianNoise on probabilities (they can turn negative)', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('probs', { activation: 'softmax' }),
      L('GaussianNoise', 'noise', { stddev: 0.1 }),
    ]);
    expect(flagged(ID, model)).toEqual(['noise']);
  });
});
