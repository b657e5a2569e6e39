/**
 * The types a layer is configured and called with (options, call context, apply arguments,
 * config), split from `layer.ts` so the class file holds behaviour only. `layer.ts`
 * re-exports all of them: import them from there.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { ConstraintIdentifier, Constraint } from '../constraints/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import type { CallKwargValue } from './call-kwargs.js';
import type { KerasTensor } from './keras-tensor.js';
import type { Layer } from './layer.js';

/** A dtype given as a name or as a serialized Keras `DTypePolicy`. */
export type DTypeIdentifier = string | { className?: string; config?: { name?: string } };

/** Options every layer accepts. */
export interface LayerArgs {
  /** Layer name; unique within a model. Default: Keras's automatic name (`dense`, `dense_1`, …). */
  name?: string;
  /** Whether the layer's weights are updated in training (default true). */
  trainable?: boolean;
  /** Compute and weight dtype (default `float32`). */
  dtype?: DTypeIdentifier;
  /** Input shape without the batch dimension; makes a `Sequential` model start with an `InputLayer`. */
  inputShape?: (number | null)[];
  /** Fixed batch size to go with `inputShape`. */
  batchSize?: number;
  /** Penalty on the layer's output, added to the loss in training. */
  activityRegularizer?: RegularizerIdentifier | null;
}

/** Per-call arguments: training mode and masks. */
export interface CallContext {
  /** True in training (dropout active, BatchNormalization uses batch statistics). */
  training?: boolean;
  /** Mask of the input (e.g. from `Embedding({maskZero: true})` or `Masking`), one per input for lists. */
  mask?: tf.Tensor | (tf.Tensor | null)[] | null;
  /** Initial states of a recurrent layer. */
  initialState?: tf.Tensor[];
  /** Plain keyword arguments of the call (camelCase, among the layer's `callKeywordArguments`). */
  kwargs?: Readonly<Record<string, CallKwargValue>>;
  /** Tensor keyword arguments of the call (camelCase), e.g. MultiHeadAttention's `attentionMask`. */
  tensorKwargs?: Readonly<Record<string, tf.Tensor>>;
  /** The masks those tensors carry (from `Masking`, `Embedding({maskZero})`), by the same names. */
  tensorKwargMasks?: Readonly<Record<string, tf.Tensor | null>>;
}

/** Keyword arguments of `apply`, recorded on the node for symbolic calls. */
export interface ApplyArgs {
  /** Forces training mode for this call (e.g. `{ training: true }` for Monte-Carlo dropout). */
  training?: boolean;
  /** Explicit input mask; a symbolic one is recorded on the node (Keras 3's `mask` kwarg). */
  mask?: tf.Tensor | (tf.Tensor | null)[] | null | KerasTensor;
  /** Initial states for recurrent layers. */
  initialState?: (tf.Tensor | KerasTensor)[];
  /**
   * Other keyword arguments of the layer's call, camelCase and among its `callKeywordArguments`
   * (e.g. MultiHeadAttention's `{ useCausalMask: true, attentionMask: t }`). Tensors (symbolic
   * or concrete) become inputs of the call; plain values are recorded on the node.
   */
  kwargs?: Readonly<Record<string, CallKwargValue | tf.Tensor | KerasTensor>>;
}

/** A layer config in camelCase (the runtime's form of the Keras config). */
export type LayerConfig = Record<string, unknown>;

/** Options of {@link Layer.addWeight}. */
export interface AddWeightOptions {
  initializer?: InitializerIdentifier;
  trainable?: boolean;
  regularizer?: RegularizerIdentifier | Regularizer | null;
  constraint?: ConstraintIdentifier | Constraint | null;
  dtype?: tf.DataType;
}

/** A layer class as the registry sees it. */
export interface LayerClass {
  readonly className: string;
  /** Option keys the class accepts besides its base classes' (see `Layer.optionKeys`). */
  readonly optionKeys?: readonly string[];
  fromConfig(config: LayerConfig): Layer;
}

/** True when a value is a list of shapes rather than a single shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** The option keys of {@link LayerArgs}, accepted by every layer. */
export const LAYER_OPTION_KEYS: readonly string[] = [
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchSize',
  'activityRegularizer',
];
