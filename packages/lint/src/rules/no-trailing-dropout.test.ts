import { describe, expect, it } from 'vitest';
import { dense, dropout, functional, input, L, sequential } from '../testing/models.js';
import { flagged } from '../testing/run.js';

const ID = 'no-trailing-dropout';

describe(ID, () => {
  it('flags a Dropout that is the model output, or feeds it only through an activation', () => {
    const last = sequential('m', [input('in', [null, 4]), dense('d'), dropout('drop', 0.2)]);
    expect(flagged(ID, last)).toEqual(['drop']);
    const viaAct = sequential('m', [
      input('in', [null, 4]),
      dense('d', { activation: 'linear' }),
      dropout('drop', 0.2),
      L('Activation', 'a', { activation: 'relu' }),
    ]);
    expect(flagged(ID, viaAct)).toEqual(['drop']);
  });

  it('flags one output of a multi-output model', () => {
    const model = functional(
      'm',
      [input('in', [null, 4]), dense('a', {}, ['in']), dropout('drop', 0.2, {}, ['a']), dense('b', {}, ['a'])],
      ['drop', 'b'],
    );
    expect(flagged(ID, model)).toEqual(['drop']);
  });

  it('does not flag dropout before the classifier, nor after probabilities (left to the other rule)', () => {
    const head = sequential('m', [
      input('in', [null, 4]),
      dense('d'),
      dropout('drop', 0.5),
      dense('out', { activation: 'softmax' }),
    ]);
    expect(flagged(ID, head)).toEqual([]);
    const probs = sequential('m', [
      input('in', [null, 4]),
      dense('out', { activation: 'softmax' }),
      dropout('drop', 0.5),
    ]);
    expect(flagged(ID, probs)).toEqual([]);
  });

  it('is silenced for backbones listed in allowForModelNames', () => {
    const backbone = sequential('backbone_v1', [input('in', [null, 4]), dense('d'), dropout('drop', 0.2)]);
    expect(flagged(ID, backbone, { options: { allowForModelNames: ['backbone*'] } })).toEqual([]);
  });

  it('covers GaussianNoise at the output too', () => {
    const model = sequential('m', [input('in', [null, 4]), dense('d'), L('GaussianNoise', 'noise', { stddev: 0.1 })]);
    expect(flagged(ID, model)).toEqual(['noise']);
  });
});
