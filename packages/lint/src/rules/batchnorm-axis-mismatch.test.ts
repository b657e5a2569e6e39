import { describe, expect, it } from 'vitest';
import { conv2d, dense, input, L, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'batchnorm-axis-mismatch';

describe(ID, () => {
  it('flags axis=-1 after a channels_first Conv2D', () => {
    const model = sequential('m', [
      input('in', [null, 3, 16, 16]),
      conv2d('c', { data_format: 'channels_first' }),
      L('BatchNormalization', 'bn', { axis: -1 }),
    ]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.layer.name).toBe('bn');
    expect(finding?.hint).toBe("Set axis=1 on 'bn'.");
  });

  it('flags axis=1 after a channels_last conv (through pooling), accepts 3 and [-1]', () => {
    const bad = sequential('m', [
      input('in', [null, 16, 16, 3]),
      conv2d('c'),
      L('MaxPooling2D', 'p', { data_format: 'channels_last' }),
      L('BatchNormalization', 'bn', { axis: 1 }),
    ]);
    expect(flagged(ID, bad)).toEqual(['bn']);
    const three = sequential('m', [
      input('in', [null, 16, 16, 3]),
      conv2d('c'),
      L('BatchNormalization', 'bn', { axis: 3 }),
    ]);
    expect(flagged(ID, three)).toEqual([]);
    const list = sequential('m', [
      input('in', [null, 16, 16, 3]),
      conv2d('c'),
      L('BatchNormalization', 'bn', { axis: [-1] }),
    ]);
    expect(flagged(ID, list)).toEqual([]);
  });

  it('ignores BN after Dense (no data_format upstream) and after Flatten of a channels_first map', () => {
    const model = sequential('m', [input('in', [null, 4]), dense('d'), L('BatchNormalization', 'bn', { axis: 1 })]);
    expect(flagged(ID, model)).toEqual([]);
    const flat = sequential('m', [
      input('in', [null, 3, 8, 8]),
      conv2d('c', { data_format: 'channels_first' }),
      L('Flatten', 'f', { data_format: 'channels_first' }),
      L('BatchNormalization', 'bn', { axis: -1 }),
    ]);
    expect(flagged(ID, flat)).toEqual([]);
  });
});
