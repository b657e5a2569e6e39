import { describe, expect, it } from 'vitest';
import { applyFixes } from '../fixes.js';
import { conv2d, dense, dropout, functional, input, L, mnistConvnet, sequential } from '../testing/models.js';
import { findingsOf, flagged } from '../testing/run.js';

const ID = 'no-dropout-on-conv-feature-maps';

describe(ID, () => {
  it('flags Dropout right after Conv2D and suggests SpatialDropout2D with the conv data_format', () => {
    const model = sequential('m', [
      input('in', [null, 3, 32, 32]),
      conv2d('conv', { data_format: 'channels_first' }),
      dropout('drop', 0.25),
      L('Flatten', 'flat'),
      dense('out', { units: 10, activation: 'softmax' }),
    ]);
    const [finding] = findingsOf(ID, model);
    expect(finding?.layer.name).toBe('drop');
    expect(finding?.hint).toContain("SpatialDropout2D(rate, data_format='channels_first') or DropBlock2D");
    expect(finding?.fix?.kind).toBe('unsafe');
  });

  it('looks through activations, BatchNormalization and pooling (the cifar10_cnn pattern)', () => {
    const model = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('conv', { activation: null }),
      L('BatchNormalization', 'bn', { axis: -1 }),
      L('Activation', 'act', { activation: 'relu' }),
      L('MaxPooling2D', 'pool', { data_format: 'channels_last' }),
      dropout('drop', 0.25),
      L('GlobalAveragePooling2D', 'gap'),
      dense('out', { units: 10, activation: 'softmax' }),
    ]);
    expect(flagged(ID, model)).toEqual(['drop']);
    expect(flagged(ID, model, { options: { throughPooling: false } })).toEqual([]);
  });

  it('uses the conv rank: Conv1D → SpatialDropout1D, Conv3D → SpatialDropout3D', () => {
    const m1 = sequential('m', [
      input('in', [null, 100, 8]),
      L('Conv1D', 'c', { filters: 4, kernel_size: [3] }),
      dropout('d', 0.2),
      L('GlobalMaxPooling1D', 'g'),
    ]);
    expect(findingsOf(ID, m1)[0]?.hint).toContain('SpatialDropout1D(rate)');
    const m3 = sequential('m', [
      input('in', [null, 8, 8, 8, 1]),
      L('Conv3D', 'c', { filters: 4, kernel_size: [3, 3, 3] }),
      dropout('d', 0.2),
      L('GlobalMaxPooling3D', 'g'),
    ]);
    expect(findingsOf(ID, m3)[0]?.hint).toContain('SpatialDropout3D(rate');
  });

  it('is not flagged after Flatten or global pooling (the Keras MNIST convnet), nor on dense layers', () => {
    expect(flagged(ID, mnistConvnet())).toEqual([]);
    const gap = sequential('m', [
      input('in', [null, 28, 28, 1]),
      conv2d('c'),
      L('GlobalAveragePooling2D', 'g'),
      dropout('d', 0.5),
      dense('o'),
    ]);
    expect(flagged(ID, gap)).toEqual([]);
    const mlp = sequential('m', [input('in', [null, 10]), dense('a'), dropout('d', 0.5), dense('o')]);
    expect(flagged(ID, mlp)).toEqual([]);
  });

  it('flags Dropout after Flatten only when flattenIsBoundary is false, without a fix', () => {
    const found = findingsOf(ID, mnistConvnet(), { options: { flattenIsBoundary: false } });
    expect(found.map((f) => f.layer.name)).toEqual(['dropout']);
    expect(found[0]?.fix).toBeUndefined();
  });

  it('accepts noise_shape that broadcasts over the spatial axes, and 1×1 maps', () => {
    const broadcast = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('conv'),
      dropout('drop', 0.25, { noise_shape: [null, 1, 1, 8] }),
      L('Flatten', 'f'),
    ]);
    expect(flagged(ID, broadcast)).toEqual([]);
    const partial = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('conv'),
      dropout('drop', 0.25, { noise_shape: [null, 32, 1, 8] }),
    ]);
    expect(flagged(ID, partial)).toEqual(['drop']);
    const tiny = sequential('m', [input('in', [null, 3, 3, 3]), conv2d('conv'), dropout('drop', 0.25)]);
    const shapes = new Map([['drop', [[[null, 1, 1, 8]]]]]);
    expect(flagged(ID, tiny, { shapes })).toEqual([]);
  });

  it('does not flag SpatialDropout2D, and flags GaussianDropout without a fix', () => {
    const spatial = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('conv'),
      L('SpatialDropout2D', 'sd', { rate: 0.2 }),
    ]);
    expect(flagged(ID, spatial)).toEqual([]);
    const gaussian = sequential('m', [
      input('in', [null, 32, 32, 3]),
      conv2d('conv'),
      L('GaussianDropout', 'gd', { rate: 0.2 }),
      L('Flatten', 'f'),
    ]);
    const found = findingsOf(ID, gaussian);
    expect(found.map((f) => f.layer.name)).toEqual(['gd']);
    expect(found[0]?.fix).toBeUndefined();
  });

  it('follows both branches of a functional merge', () => {
    const model = functional('m', [
      input('in', [null, 16, 16, 3]),
      conv2d('a', {}, ['in']),
      conv2d('b', {}, ['in']),
      L('Concatenate', 'cat', { axis: -1 }, ['a', 'b']),
      dropout('drop', 0.3, {}, ['cat']),
      L('GlobalAveragePooling2D', 'gap', {}, ['drop']),
    ]);
    expect(flagged(ID, model)).toEqual(['drop']);
  });

  it('the unsafe fix turns the Dropout into SpatialDropout2D keeping name, rate and data_format', () => {
    const model = sequential('m', [
      input('in', [null, 3, 32, 32]),
      conv2d('conv', { data_format: 'channels_first' }),
      dropout('drop', 0.25),
      L('Flatten', 'f'),
    ]);
    const findings = findingsOf(ID, model);
    expect(applyFixes(model, findings, { unsafe: false }).layers[2]!.className).toBe('Dropout');
    const fixed = applyFixes(model, findings, { unsafe: true });
    expect(fixed.layers[2]).toMatchObject({
      className: 'SpatialDropout2D',
      name: 'drop',
      config: { name: 'drop', rate: 0.25, data_format: 'channels_first' },
    });
    expect(fixed.layers[2]!.config['noise_shape']).toBeUndefined();
    expect(model.layers[2]!.className).toBe('Dropout');
    expect(flagged(ID, fixed)).toEqual([]);
  });

  it('looks through UpSampling2D (the map stays spatial)', () => {
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('conv'),
      L('UpSampling2D', 'up', { size: [2, 2] }),
      dropout('drop', 0.2),
    ]);
    expect(flagged(ID, model)).toEqual(['drop']);
  });
});
