/**
 * Small questions about a layer class, answered from the one facts table. Every function takes
 * a Keras class name (aliases included); unknown classes (custom layers) have no facts and get
 * `undefined` / `false`.
 */
import { LAYER_FACTS } from './table.js';
import type { LayerFacts, LayerKind } from './types.js';

/** The facts of a class or alias, `undefined` for classes the table does not know. */
export function layerFacts(className: string): LayerFacts | undefined {
  return LAYER_FACTS.get(className);
}

/** The canonical class an alias names (`Convolution2D` → `Conv2D`); unknown names are returned as they are. */
export function canonicalClassName(className: string): string {
  return LAYER_FACTS.get(className)?.className ?? className;
}

/** Every class name and alias the table knows, sorted. */
export function layerFactsClassNames(): string[] {
  return [...LAYER_FACTS.keys()].sort();
}

/** All kinds of a class (empty when unknown). */
export function layerKinds(className: string): readonly LayerKind[] {
  return LAYER_FACTS.get(className)?.kinds ?? [];
}

/** The main kind of a class (the first of {@link layerKinds}), `undefined` when unknown. */
export function layerKind(className: string): LayerKind | undefined {
  return LAYER_FACTS.get(className)?.kinds[0];
}

/** Whether a class has the kind. */
export function hasLayerKind(className: string, kind: LayerKind): boolean {
  return LAYER_FACTS.get(className)?.kinds.includes(kind) ?? false;
}

/** Spatial rank of a class whose kind is `kind` (`undefined` otherwise). */
function rankIf(className: string, kind: LayerKind): number | undefined {
  const facts = LAYER_FACTS.get(className);
  return facts?.kinds.includes(kind) ? facts.spatialRank : undefined;
}

/**
 * Number of spatial dims of a convolution (`Conv2D` → 2, `Conv1DTranspose` → 1,
 * `SeparableConvolution2D` → 2, `ConvLSTM2D` → 2, as Keras's `rank`), `undefined` for other layers.
 */
export function convRank(className: string): number | undefined {
  return rankIf(className, 'conv');
}

/** Number of spatial dims of a local pooling layer (`MaxPooling2D`, `AvgPool1D`), `undefined` otherwise. */
export function poolingRank(className: string): number | undefined {
  return rankIf(className, 'pooling');
}

/** Rank of `SpatialDropout1D/2D/3D`, `undefined` otherwise. */
export function spatialDropoutRank(className: string): number | undefined {
  return rankIf(className, 'spatial-dropout');
}

/** Convolutions of any rank (see {@link convRank}). */
export function isConvolution(className: string): boolean {
  return hasLayerKind(className, 'conv');
}

/** Local pooling of any rank. */
export function isPooling(className: string): boolean {
  return hasLayerKind(className, 'pooling');
}

/** Global pooling of any rank. */
export function isGlobalPooling(className: string): boolean {
  return hasLayerKind(className, 'global-pooling');
}

/** Normalization layers (batch, synchronised batch, layer, group, unit, RMS). */
export function isNormalization(className: string): boolean {
  return hasLayerKind(className, 'normalization');
}

/** `BatchNormalization` and `SyncBatchNormalization`. */
export function isBatchNormalization(className: string): boolean {
  return hasLayerKind(className, 'batch-normalization');
}

/** Pure activation layers (`Activation`, `ReLU`, `Softmax`, …). */
export function isActivation(className: string): boolean {
  return hasLayerKind(className, 'activation');
}

/** Element-wise merges and `Concatenate` (not `Dot`). */
export function isMerge(className: string): boolean {
  return hasLayerKind(className, 'merge');
}

/** Recurrent layers: RNNs, `RNN(cell)`, `Bidirectional`, `ConvLSTMND`, Keras 2's cuDNN RNNs. */
export function isRecurrent(className: string): boolean {
  return hasLayerKind(className, 'recurrent');
}

const DROPOUT_FAMILY: readonly LayerKind[] = ['dropout', 'noise', 'branch-drop'];
const SHAPE_KEEPING: readonly LayerKind[] = ['identity', 'reshape', 'masking'];

/**
 * The dropout family: dropout-like layers, `GaussianNoise` and branch drops
 * (`StochasticDepth`, `DropPath`): everything that is noise during training only.
 */
export function isDropoutFamily(className: string): boolean {
  return DROPOUT_FAMILY.some((kind) => hasLayerKind(className, kind));
}

/**
 * Layers that change neither which units exist nor their values' role, so an output layer may
 * be followed by them: activations, the dropout family, `Identity`, `Flatten`, `Reshape`, `Masking`.
 */
export function isTransparent(className: string): boolean {
  return (
    isActivation(className) || isDropoutFamily(className) || SHAPE_KEEPING.some((kind) => hasLayerKind(className, kind))
  );
}

/** Whether Keras builds the layer in `__init__` (no `build_config` is recorded for it). */
export function isBuiltAtInit(className: string): boolean {
  return LAYER_FACTS.get(className)?.builtAtInit ?? false;
}

/** Whether the layer holds trainable weight matrices (Dense, convolutions, RNNs, Embedding, MultiHeadAttention, …). */
export function hasWeightMatrices(className: string): boolean {
  return LAYER_FACTS.get(className)?.weightMatrices ?? false;
}

/** Whether the layer's config holds `dropout` / `recurrent_dropout` directly (RNN layers and cells). */
export function hasRnnDropoutConfig(className: string): boolean {
  return LAYER_FACTS.get(className)?.rnnDropoutConfig ?? false;
}
