/**
 * What kind of layer a `LayerIR` is, read from its class name and Keras config.
 * Shared by the rules so that "dropout", "conv" or "transparent" mean the same everywhere.
 */
import type { JsonValue, LayerIR } from '@strata/graph';

/** Element-wise (plain) dropout-like classes. */
const ELEMENTWISE_DROPOUT = new Set(['Dropout', 'GaussianDropout', 'AlphaDropout']);
const SPATIAL_DROPOUT = /^SpatialDropout([123])D$/;
/** Custom classes that keep dropout on at inference (Monte Carlo dropout). */
const ALWAYS_ACTIVE_CLASS = /^(MC|MonteCarlo|Permanent|AlwaysOn)Dropout$/i;

/** `SpatialDropout1D/2D/3D` → 1/2/3, otherwise `undefined`. */
export function spatialDropoutRank(layer: LayerIR): number | undefined {
  const match = SPATIAL_DROPOUT.exec(layer.className);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether the layer drops or corrupts activations like dropout does: Dropout, SpatialDropoutND,
 * GaussianDropout, AlphaDropout, DropBlock2D and unknown classes named `*Dropout*`.
 * StochasticDepth/DropPath are excluded: they drop whole residual branches.
 */
export function isDropoutLike(layer: LayerIR): boolean {
  return (
    ELEMENTWISE_DROPOUT.has(layer.className) ||
    spatialDropoutRank(layer) !== undefined ||
    layer.className === 'DropBlock2D' ||
    /dropout/i.test(layer.className)
  );
}

/**
 * Dropout-like layers plus additive `GaussianNoise`: everything that corrupts activations
 * during training. Used where the noise kind does not matter (outputs, probabilities, MC use).
 */
export function isTrainingNoise(layer: LayerIR): boolean {
  return isDropoutLike(layer) || layer.className === 'GaussianNoise';
}

/** Whether the layer is a plain Keras `Dropout`. */
export function isPlainDropout(layer: LayerIR): boolean {
  return layer.className === 'Dropout';
}

/** Whether the layer drops whole residual branches (StochasticDepth, DropPath). */
export function isBranchDrop(layer: LayerIR): boolean {
  return layer.className === 'StochasticDepth' || layer.className === 'DropPath';
}

/** Whether the layer keeps its noise on at inference (MC dropout): `training: true` or an MC class. */
export function isAlwaysActive(layer: LayerIR): boolean {
  if (ALWAYS_ACTIVE_CLASS.test(layer.className)) return true;
  return layer.nodes.some((node) => node.kwargs?.['training'] === true);
}

/** Number of spatial dims of a convolution layer (Conv2D → 2), or `undefined`. */
export function convRank(layer: LayerIR): number | undefined {
  const match = /^(?:Separable|Depthwise)?Conv([123])D(?:Transpose)?$/.exec(layer.className);
  if (match) return Number(match[1]);
  if (/^(?:Convolution|AtrousConvolution)([123])D$/.test(layer.className)) return Number(/([123])D$/.exec(layer.className)![1]);
  if (layer.className === 'ConvLSTM2D') return 2;
  return undefined;
}

/** Number of spatial dims of a local pooling layer (MaxPooling2D → 2), or `undefined`. */
export function poolingRank(layer: LayerIR): number | undefined {
  const match = /^(?:Max|Average|Avg)Pool(?:ing)?([123])D$/.exec(layer.className);
  return match ? Number(match[1]) : undefined;
}

/** Global pooling (the conv-map boundary), in any rank. */
export function isGlobalPooling(layer: LayerIR): boolean {
  return /^Global(?:Max|Average|Avg)Pool(?:ing)?[123]D$/.test(layer.className);
}

/** BatchNormalization and its synchronised variant. */
export function isBatchNorm(layer: LayerIR): boolean {
  return layer.className === 'BatchNormalization' || layer.className === 'SyncBatchNormalization';
}

/** Any normalization layer that re-centres activations (for the vanishing-gradient rule). */
export function isNormalization(layer: LayerIR): boolean {
  return (
    isBatchNorm(layer) ||
    ['LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'RMSNormalization'].includes(layer.className)
  );
}

/** Merge layers that combine several tensors. */
export function isMerge(layer: LayerIR): boolean {
  return ['Add', 'Concatenate', 'Average', 'Maximum', 'Minimum', 'Multiply', 'Subtract'].includes(layer.className);
}

/** Recurrent layers. */
export function isRecurrent(layer: LayerIR): boolean {
  return ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional', 'CuDNNLSTM', 'CuDNNGRU', 'ConvLSTM2D'].includes(
    layer.className,
  );
}

/** Layers with trainable weight matrices (a dropout between such layers acts on a new representation). */
export function isWeightLayer(layer: LayerIR): boolean {
  return (
    convRank(layer) !== undefined ||
    isRecurrent(layer) ||
    ['Dense', 'EinsumDense', 'Embedding', 'MultiHeadAttention', 'LocallyConnected1D', 'LocallyConnected2D'].includes(
      layer.className,
    ) ||
    layer.model !== undefined
  );
}

/** Pure activation layers. */
export function isActivationLayer(layer: LayerIR): boolean {
  return ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'ThresholdedReLU'].includes(layer.className);
}

/**
 * Layers that neither change values' meaning nor hold weights: padding, cropping, identity.
 * Activations are transparent too where a rule says so (`isActivationLayer`).
 */
export function isShapeOnly(layer: LayerIR): boolean {
  return (
    layer.className === 'Identity' ||
    /^(ZeroPadding|Cropping)[123]D$/.test(layer.className) ||
    layer.className === 'Masking'
  );
}

/** Reads a number from a config, `undefined` when absent or not a number. */
export function numberConfig(layer: LayerIR, key: string): number | undefined {
  const value = layer.config[key];
  return typeof value === 'number' ? value : undefined;
}

/** Name of a serialized activation (`"relu"` or `{class_name, config}` dicts), lower-case. */
export function activationName(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const config = value['config'];
    if (config && typeof config === 'object' && !Array.isArray(config) && typeof config['name'] === 'string') {
      return config['name'].toLowerCase();
    }
    if (typeof value['class_name'] === 'string') return value['class_name'].toLowerCase();
  }
  return undefined;
}

/**
 * The activation a layer applies to its output, or `undefined` when the layer has none
 * (e.g. Flatten, Dropout). `"linear"` for a Dense/Conv without activation.
 */
export function outputActivation(layer: LayerIR): string | undefined {
  switch (layer.className) {
    case 'ReLU':
      return 'relu';
    case 'LeakyReLU':
      return 'leaky_relu';
    case 'ELU':
      return 'elu';
    case 'PReLU':
      return 'prelu';
    case 'Softmax':
      return 'softmax';
    case 'ThresholdedReLU':
      return 'relu';
    default:
      break;
  }
  if (layer.className === 'Activation' || isWeightLayer(layer)) {
    return activationName(layer.config['activation']) ?? (layer.className === 'Activation' ? undefined : 'linear');
  }
  return undefined;
}

/** Activations whose outputs are probabilities. */
export function isProbabilityActivation(name: string | undefined): boolean {
  return name === 'softmax' || name === 'sigmoid' || name === 'log_softmax' || name === 'hard_sigmoid' || name === 'hard_sigmoid_legacy';
}

/** `data_format` of a layer, `undefined` when it has none or it is null (global default). */
export function dataFormat(layer: LayerIR): 'channels_first' | 'channels_last' | undefined {
  const value = layer.config['data_format'];
  return value === 'channels_first' || value === 'channels_last' ? value : undefined;
}

/** The `rate` of a dropout-like layer (Keras 1 used `p`). */
export function dropoutRate(layer: LayerIR): number | undefined {
  return numberConfig(layer, 'rate') ?? numberConfig(layer, 'p');
}

/** The `noise_shape` of a Dropout, or `undefined` when absent/null. */
export function noiseShape(layer: LayerIR): (number | null)[] | undefined {
  const value = layer.config['noise_shape'];
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (typeof v === 'number' ? v : null));
}
