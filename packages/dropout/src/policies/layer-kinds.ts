/**
 * Layer classes by role, as the policies see them in a model's IR (class names, so that
 * models loaded from Keras files are recognised too).
 */

/** Activation layers: a block's "end" is after them. */
export const ACTIVATION_CLASSES = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'ThresholdedReLU']);

/** Normalization layers: dropout goes after them, not before (Li et al. 2019, variance shift). */
export const NORMALIZATION_CLASSES = new Set(['BatchNormalization', 'SyncBatchNormalization', 'LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'RMSNormalization']);

/** Local pooling: ends a convolution block. */
export const POOLING_CLASSES = new Set([
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D', 'AvgPool3D',
]);

/** The dropout family (Keras's and this package's). */
export const DROPOUT_CLASSES = new Set([
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout',
  'DropBlock2D', 'StochasticDepth', 'DropPath',
]);

/** Layers that change neither which units exist nor their values' role: an output layer may be followed by them. */
export const TRANSPARENT_CLASSES = new Set([...ACTIVATION_CLASSES, ...DROPOUT_CLASSES, 'Identity', 'Reshape', 'Flatten', 'Masking']);

/** Convolutions, with their spatial rank. */
export function convRank(className: string): number | undefined {
  const match = /^(?:Conv|SeparableConv|DepthwiseConv|Convolution)([123])D(?:Transpose)?$/.exec(className);
  return match === null ? undefined : Number(match[1]);
}

