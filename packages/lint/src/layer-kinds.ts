/**
 * What kind of layer a `LayerIR` is, read from its class name and Keras config.
 * Shared by the rules so that "dropout", "conv" or "transparent" mean the same everywhere.
 * The class facts themselves come from `@strata/graph`'s layer-facts table; this module adds
 * what looks at a layer's config, call nodes or unknown class names.
 */
import * as facts from '@strata/graph';
import type { JsonValue, LayerIR } from '@strata/graph';

/** Custom classes that keep dropout on at inference (Monte Carlo dropout). */
const ALWAYS_ACTIVE_CLASS = /^(MC|MonteCarlo|Permanent|AlwaysOn)Dropout$/i;

/** `SpatialDropout1D/2D/3D` → 1/2/3, otherwise `undefined`. */
export function spatialDropoutRank(layer: LayerIR): number | undefined {
  return facts.spatialDropoutRank(layer.className);
}

/**
 * Whether the layer drops or corrupts activations like dropout does: Dropout, SpatialDropoutND,
 * GaussianDropout, AlphaDropout, DropBlock2D (the graph facts' `dropout` kind) and unknown
 * classes named `*Dropout*`. StochasticDepth/DropPath are excluded: they drop whole residual branches.
 */
export function isDropoutLike(layer: LayerIR): boolean {
  return facts.hasLayerKind(layer.className, 'dropout') || /dropout/i.test(layer.className);
}

/**
 * Dropout-like layers plus additive `GaussianNoise`: everything that corrupts activations
 * during training. Used where the noise kind does not matter (outputs, probabilities, MC use).
 */
export function isTrainingNoise(layer: LayerIR): boolean {
  return isDropoutLike(layer) || facts.hasLayerKind(layer.className, 'noise');
}

/** Whether the layer is a plain Keras `Dropout`. */
export function isPlainDropout(layer: LayerIR): boolean {
  return layer.className === 'Dropout';
}

/** Whether the layer drops whole residual branches (StochasticDepth, DropPath). */
export function isBranchDrop(layer: LayerIR): boolean {
  return facts.hasLayerKind(layer.className, 'branch-drop');
}

/** Whether the layer keeps its noise on at inference (MC dropout): `training: true` or an MC class. */
export function isAlwaysActive(layer: LayerIR): boolean {
  if (ALWAYS_ACTIVE_CLASS.test(layer.className)) return true;
  return layer.nodes.some((node) => node.kwargs?.['training'] === true);
}

/** Number of spatial dims of a convolution layer (Conv2D → 2, ConvLSTM2D → 2), or `undefined`. */
export function convRank(layer: LayerIR): number | undefined {
  return facts.convRank(layer.className);
}

/** Number of spatial dims of a local pooling layer (MaxPooling2D → 2), or `undefined`. */
export function poolingRank(layer: LayerIR): number | undefined {
  return facts.poolingRank(layer.className);
}

/** Global pooling (the conv-map boundary), in any rank. */
export function isGlobalPooling(layer: LayerIR): boolean {
  return facts.isGlobalPooling(layer.className);
}

/** BatchNormalization and its synchronised variant. */
export function isBatchNorm(layer: LayerIR): boolean {
  return facts.isBatchNormalization(layer.className);
}

/** Any normalization layer that re-centres activations (for the vanishing-gradient rule). */
export function isNormalization(layer: LayerIR): boolean {
  return facts.isNormalization(layer.className);
}

/** Merge layers that combine several tensors. */
export function isMerge(layer: LayerIR): boolean {
  return facts.isMerge(layer.className);
}

/** Recurrent layers. */
export function isRecurrent(layer: LayerIR): boolean {
  return facts.isRecurrent(layer.className);
}

/** Layers with trainable weight matrices (a dropout between such layers acts on a new representation). */
export function isWeightLayer(layer: LayerIR): boolean {
  return facts.hasWeightMatrices(layer.className) || layer.model !== undefined;
}

/** Attention layers (their `dropout` config drops attention scores). */
export function isAttention(layer: LayerIR): boolean {
  return facts.hasLayerKind(layer.className, 'attention');
}

/** Input preprocessing layers (`Rescaling`, `Normalization`). */
export function isInputPreprocessing(layer: LayerIR): boolean {
  return facts.hasLayerKind(layer.className, 'preprocessing');
}

/** Pure activation layers. */
export function isActivationLayer(layer: LayerIR): boolean {
  return facts.isActivation(layer.className);
}

const SHAPE_ONLY: readonly facts.LayerKind[] = ['identity', 'padding', 'cropping', 'masking'];

/**
 * Layers that neither change values' meaning nor hold weights: padding, cropping, identity, masking.
 * Activations are transparent too where a rule says so (`isActivationLayer`).
 */
export function isShapeOnly(layer: LayerIR): boolean {
  return SHAPE_ONLY.some((kind) => facts.hasLayerKind(layer.className, kind));
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
  return (
    name === 'softmax' ||
    name === 'sigmoid' ||
    name === 'log_softmax' ||
    name === 'hard_sigmoid' ||
    name === 'hard_sigmoid_legacy'
  );
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
