import { describe, expect, it } from 'vitest';
import { shapeRuleClassNames } from '../shapes/infer.js';
import {
  canonicalClassName,
  convRank,
  hasLayerKind,
  hasRnnDropoutConfig,
  hasWeightMatrices,
  isBatchNormalization,
  isBuiltAtInit,
  isDropoutFamily,
  isMerge,
  isNormalization,
  isTransparent,
  layerFacts,
  layerFactsClassNames,
  layerKind,
  layerKinds,
  poolingRank,
  spatialDropoutRank,
} from './queries.js';

describe('layer facts: one table, looked up by class name or alias', () => {
  it("aliases share their class's facts (Convolution2D is Conv2D, MaxPool2D is MaxPooling2D)", () => {
    expect(layerFacts('Convolution2D')).toBe(layerFacts('Conv2D'));
    expect(canonicalClassName('Convolution2D')).toBe('Conv2D');
    expect(canonicalClassName('MaxPool2D')).toBe('MaxPooling2D');
    expect(canonicalClassName('GlobalAvgPool1D')).toBe('GlobalAveragePooling1D');
    expect(canonicalClassName('Deconvolution2D')).toBe('Conv2DTranspose');
    expect(canonicalClassName('Model')).toBe('Functional');
    expect(canonicalClassName('MyCustomLayer')).toBe('MyCustomLayer');
    expect(poolingRank('MaxPool2D')).toBe(2);
    expect(poolingRank('AvgPool3D')).toBe(3);
  });

  it("convRank is one function, as Keras's `rank`: every conv spelling, ConvLSTM included, nothing else", () => {
    // The two former versions disagreed: lint's knew ConvLSTM2D and AtrousConvolution, dropout's neither.
    expect(convRank('Conv1D')).toBe(1);
    expect(convRank('Conv2DTranspose')).toBe(2);
    expect(convRank('Convolution3D')).toBe(3);
    expect(convRank('Convolution2DTranspose')).toBe(2);
    expect(convRank('Deconvolution3D')).toBe(3);
    expect(convRank('SeparableConv1D')).toBe(1);
    expect(convRank('SeparableConvolution2D')).toBe(2);
    expect(convRank('DepthwiseConv2D')).toBe(2);
    expect(convRank('AtrousConvolution1D')).toBe(1);
    expect(convRank('ConvLSTM2D')).toBe(2);
    expect(convRank('ConvLSTM3D')).toBe(3);
    // Names a loose pattern used to accept, which Keras never had, and non-convolutions with a rank.
    expect(convRank('SeparableConv3D')).toBeUndefined();
    expect(convRank('DepthwiseConv2DTranspose')).toBeUndefined();
    expect(convRank('MaxPooling2D')).toBeUndefined();
    expect(convRank('SpatialDropout2D')).toBeUndefined();
    expect(convRank('QConv2D')).toBeUndefined();
  });

  it('kinds: a class may have several; unknown classes have none', () => {
    expect(layerKinds('Bidirectional')).toEqual(['wrapper', 'recurrent']);
    expect(layerKind('ConvLSTM2D')).toBe('recurrent');
    expect(hasLayerKind('ConvLSTM2D', 'conv')).toBe(true);
    expect(layerKinds('SpatialDropout1D')).toEqual(['dropout', 'spatial-dropout']);
    expect(spatialDropoutRank('SpatialDropout3D')).toBe(3);
    expect(spatialDropoutRank('DropBlock2D')).toBeUndefined();
    expect(layerKinds('MyCustomLayer')).toEqual([]);
    expect(layerKind('MyCustomLayer')).toBeUndefined();
  });

  it('normalization includes RMSNormalization (the drift bug) and batch statistics are their own kind', () => {
    for (const name of [
      'BatchNormalization',
      'SyncBatchNormalization',
      'LayerNormalization',
      'GroupNormalization',
      'UnitNormalization',
      'RMSNormalization',
    ]) {
      expect(isNormalization(name), name).toBe(true);
    }
    expect(isNormalization('Normalization')).toBe(false); // preprocessing, not an activation normalizer
    expect(isBatchNormalization('SyncBatchNormalization')).toBe(true);
    expect(isBatchNormalization('LayerNormalization')).toBe(false);
  });

  it('merges, the dropout family and transparent layers', () => {
    expect(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'].every(isMerge)).toBe(true);
    expect(isMerge('Dot')).toBe(false);
    expect(
      ['Dropout', 'GaussianNoise', 'AlphaDropout', 'DropBlock2D', 'StochasticDepth', 'DropPath'].every(isDropoutFamily),
    ).toBe(true);
    expect(isDropoutFamily('Dense')).toBe(false);
    expect(['ReLU', 'Dropout', 'Identity', 'Flatten', 'Reshape', 'Masking'].every(isTransparent)).toBe(true);
    expect(isTransparent('Dense')).toBe(false);
    expect(isTransparent('Permute')).toBe(false);
  });

  it('which layers Keras builds at init (no build_config) and which hold weight matrices', () => {
    expect(isBuiltAtInit('Dropout')).toBe(true);
    expect(isBuiltAtInit('SpatialDropout2D')).toBe(true); // a Dropout subclass
    expect(isBuiltAtInit('MaxPool2D')).toBe(true);
    expect(isBuiltAtInit('UnitNormalization')).toBe(true);
    expect(isBuiltAtInit('PReLU')).toBe(false);
    expect(isBuiltAtInit('Dense')).toBe(false);
    expect(isBuiltAtInit('DropBlock2D')).toBe(false);
    expect(hasWeightMatrices('MultiHeadAttention')).toBe(true);
    expect(hasWeightMatrices('Attention')).toBe(false);
    expect(hasRnnDropoutConfig('LSTMCell')).toBe(true);
    expect(hasRnnDropoutConfig('Bidirectional')).toBe(false);
  });

  it('every class with a shape rule has facts, and every fact names a class or alias once', () => {
    const names = layerFactsClassNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      const facts = layerFacts(name)!;
      expect(facts.kinds.length, name).toBeGreaterThan(0);
      expect(name === facts.className || facts.aliases.includes(name), name).toBe(true);
    }
    expect(shapeRuleClassNames().filter((name) => layerFacts(name) === undefined)).toEqual([]);
  });
});
