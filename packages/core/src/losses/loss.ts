/**
 * The `Loss` base class and Keras 3's reduction rules (`sum_over_batch_size` by default):
 * per-sample losses are multiplied by sample weights, summed, and divided by their count.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError, InputShapeError } from '../utils/errors.js';

/** How per-sample losses become one number (Keras 3 `reduction`). */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'];

/** A loss given as a function of targets and predictions returning per-sample values. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Options every loss accepts. */
export interface LossArgs {
  /** Name of the loss (Keras default: the snake_case function name). */
  name?: string;
  /** Reduction (default `sum_over_batch_size`). */
  reduction?: Reduction | null;
}

/**
 * When ranks differ by one and the longer tensor ends in a size-1 axis, squeeze it (or expand
 * a rank-1 partner), as Keras's `squeeze_or_expand_to_same_rank`.
 */
export function squeezeOrExpandToSameRank(x1: tf.Tensor, x2: tf.Tensor, expandRank1 = true): [tf.Tensor, tf.Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2) return [x1, x2];
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1 && expandRank1) return [x1, tf.expandDims(x2, -1)];
    return [tf.squeeze(x1, [r1 - 1]), x2];
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1 && expandRank1) return [tf.expandDims(x1, -1), x2];
    return [x1, tf.squeeze(x2, [r2 - 1])];
  }
  return [x1, x2];
}

/** Weights per-sample `values` and reduces them (Keras `reduce_weighted_values`). */
export function reduceWeightedValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  reduction: Reduction,
): tf.Tensor {
  return tf.tidy(() => {
    let weighted = values;
    let weights: tf.Tensor | null = null;
    if (sampleWeight !== null) {
      const [v, w] = squeezeOrExpandToSameRank(values, tf.cast(sampleWeight, values.dtype));
      weighted = tf.mul(v, w);
      weights = w;
    }
    if (reduction === 'none' || weighted.rank === 0 || weighted.size === 0) return weighted;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total;
    const divisor =
      reduction === 'mean_with_sample_weight' && weights !== null ? tf.sum(weights) : tf.scalar(weighted.size);
    // divide_no_nan: a zero divisor gives 0, as Keras.
    return tf.where(tf.equal(divisor, 0), tf.zerosLike(total), tf.div(total, divisor));
  });
}

/** Base class of losses (Keras `keras.losses.Loss`). Subclasses implement `call`. */
export abstract class Loss {
  /** Keras class name. */
  abstract readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(name: string, reduction: Reduction | null | undefined) {
    this.name = name;
    const r = reduction ?? 'sum_over_batch_size';
    if (!REDUCTIONS.includes(r)) {
      throw new ConfigurationError(
        `Loss "${name}": unknown reduction "${String(r)}"; valid choices: ${REDUCTIONS.join(', ')}`,
      );
    }
    this.reduction = r;
  }

  /** Per-sample loss values (the last axis reduced). */
  abstract call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** The reduced loss, optionally weighted per sample (Keras `loss(y_true, y_pred, sample_weight)`). */
  apply(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): tf.Tensor {
    return tf.tidy(() => {
      const pred = yPred.dtype === 'float32' ? yPred : tf.cast(yPred, 'float32');
      const values = this.call(yTrue, pred);
      return reduceWeightedValues(values, sampleWeight, this.reduction);
    });
  }

  /** Keras config (snake_case keys, as in `get_config`). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}

/** A loss made from a function and its keyword arguments (Keras `LossFunctionWrapper`). */
export class LossFunctionWrapper extends Loss {
  readonly className: string = 'LossFunctionWrapper';
  constructor(
    readonly fn: LossFn,
    args: LossArgs = {},
    /** Extra config entries (the function's keyword arguments, snake_case). */
    protected readonly fnConfig: Record<string, unknown> = {},
  ) {
    super(args.name ?? (fn.name !== '' ? fn.name : 'loss'), args.reduction);
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.fnConfig };
  }
}

/** `y_true` cast to the prediction dtype and matched in rank (the first lines of most Keras losses). */
export function alignTargets(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const t = yTrue.dtype === yPred.dtype ? yTrue : tf.cast(yTrue, yPred.dtype);
  const aligned = squeezeOrExpandToSameRank(t, yPred);
  const [a, b] = aligned;
  const broadcastable = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i] || d === 1 || b.shape[i] === 1);
  if (!broadcastable) {
    throw new InputShapeError(
      `targets of shape [${yTrue.shape.join(', ')}] do not match predictions of shape [${yPred.shape.join(', ')}]`,
    );
  }
  return aligned;
}

/** Keras's fuzz factor (`keras.backend.epsilon()`). */
export const EPSILON = 1e-7;
