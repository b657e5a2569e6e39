/**
 * Probabilistic losses of Keras 3: binary / categorical / sparse categorical crossentropy
 * (probabilities clipped to [ε, 1-ε] with ε = 1e-7 unless `fromLogits`), KL divergence, Poisson.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EPSILON, LossFunctionWrapper, alignTargets, type LossArgs } from './loss.js';
import { ConfigurationError, InputShapeError } from '../utils/errors.js';

/** Options of the crossentropy losses. */
export interface CrossentropyOptions {
  /** Whether predictions are logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Label smoothing in [0, 1] (default 0). */
  labelSmoothing?: number;
  /** Class axis (default -1). */
  axis?: number;
}

function checkSmoothing(value: number, where: string): number {
  if (!(value >= 0 && value <= 1))
    throw new ConfigurationError(`${where}: labelSmoothing must be in [0, 1], got ${value}`);
  return value;
}

function checkSameShape(yTrue: tf.Tensor, yPred: tf.Tensor, where: string): void {
  if (yTrue.rank !== yPred.rank || !yTrue.shape.every((d, i) => d === yPred.shape[i])) {
    throw new InputShapeError(
      `${where}: targets and predictions must have the same shape, got targets [${yTrue.shape.join(', ')}] ` +
        `and predictions [${yPred.shape.join(', ')}] (integer class labels need sparse_categorical_crossentropy)`,
    );
  }
}

/** Categorical crossentropy on one-hot targets; predictions renormalized then clipped, as Keras. */
export function categoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: CrossentropyOptions = {},
): tf.Tensor {
  const axis = options.axis ?? -1;
  const smoothing = checkSmoothing(options.labelSmoothing ?? 0, 'categorical_crossentropy');
  checkSameShape(yTrue, yPred, 'categorical_crossentropy');
  return tf.tidy(() => {
    let t = tf.cast(yTrue, yPred.dtype);
    if (smoothing > 0) {
      const numClasses = yPred.shape[axis < 0 ? yPred.rank + axis : axis]!;
      t = tf.add(tf.mul(t, 1 - smoothing), smoothing / numClasses);
    }
    if (options.fromLogits === true) return tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(yPred, axis)), axis));
    const normalized = tf.div(yPred, tf.sum(yPred, axis, true));
    const clipped = tf.clipByValue(normalized, EPSILON, 1 - EPSILON);
    return tf.neg(tf.sum(tf.mul(t, tf.log(clipped)), axis));
  });
}

/** Sparse categorical crossentropy on integer class targets (shape `[batch]` or `[batch, 1]`). */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: { fromLogits?: boolean; ignoreClass?: number | null } = {},
): tf.Tensor {
  return tf.tidy(() => {
    let labels = tf.cast(yTrue, 'int32');
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
      labels = tf.squeeze(labels, [labels.rank - 1]);
    if (labels.rank !== yPred.rank - 1 || !labels.shape.every((d, i) => d === yPred.shape[i])) {
      throw new InputShapeError(
        `sparse_categorical_crossentropy: targets must be integer class indices of shape [${yPred.shape.slice(0, -1).join(', ')}] ` +
          `(or with a trailing 1) for predictions [${yPred.shape.join(', ')}], got [${yTrue.shape.join(', ')}]`,
      );
    }
    const numClasses = yPred.shape[yPred.rank - 1]!;
    const ignore = options.ignoreClass ?? null;
    const safeLabels = ignore === null ? labels : tf.where(tf.equal(labels, ignore), tf.zerosLike(labels), labels);
    const logits = options.fromLogits === true ? yPred : tf.log(tf.clipByValue(yPred, EPSILON, 1 - EPSILON));
    // Keras feeds log-probabilities to a softmax crossentropy, which renormalizes them.
    const logProbs = tf.logSoftmax(logits, -1);
    const oneHot = tf.reshape(tf.oneHot(tf.reshape(safeLabels, [-1]), numClasses), logProbs.shape);
    const losses = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1));
    if (ignore === null) return losses;
    return tf.where(tf.equal(labels, ignore), tf.zerosLike(losses), losses);
  });
}

/** Binary crossentropy, averaged over the last axis; label smoothing squeezes targets towards 0.5. */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, options: CrossentropyOptions = {}): tf.Tensor {
  const smoothing = checkSmoothing(options.labelSmoothing ?? 0, 'binary_crossentropy');
  const axis = options.axis ?? -1;
  return tf.tidy(() => {
    let [t, p] = alignTargets(yTrue, yPred);
    checkSameShape(t, p, 'binary_crossentropy');
    if (smoothing > 0) t = tf.add(tf.mul(t, 1 - smoothing), 0.5 * smoothing);
    let bce: tf.Tensor;
    if (options.fromLogits === true) {
      // max(x, 0) - x*z + log(1 + exp(-|x|)), stable for any logit.
      bce = tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p)))));
    } else {
      p = tf.clipByValue(p, EPSILON, 1 - EPSILON);
      bce = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    return tf.mean(bce, axis);
  });
}

/** `sum(y_true * log(y_true / y_pred), axis=-1)` with both clipped to [ε, 1]. */
export function klDivergence(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t0, p0] = alignTargets(yTrue, yPred);
    const t = tf.clipByValue(t0, EPSILON, 1);
    const p = tf.clipByValue(p0, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  });
}

/** `mean(y_pred - y_true * log(y_pred + ε), axis=-1)`. */
export function poisson(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.mean(tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON)))), -1);
  });
}

/** Binary crossentropy loss (`keras.losses.BinaryCrossentropy`). */
export class BinaryCrossentropy extends LossFunctionWrapper {
  override readonly className = 'BinaryCrossentropy';
  constructor(args: LossArgs & CrossentropyOptions = {}) {
    const opts = {
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super(
      (t, p) => binaryCrossentropy(t, p, opts),
      { name: args.name ?? 'binary_crossentropy', reduction: args.reduction },
      {
        from_logits: opts.fromLogits,
        label_smoothing: opts.labelSmoothing,
        axis: opts.axis,
      },
    );
  }
}

/** Categorical crossentropy loss (`keras.losses.CategoricalCrossentropy`). */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'CategoricalCrossentropy';
  constructor(args: LossArgs & CrossentropyOptions = {}) {
    const opts = {
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super(
      (t, p) => categoricalCrossentropy(t, p, opts),
      { name: args.name ?? 'categorical_crossentropy', reduction: args.reduction },
      {
        from_logits: opts.fromLogits,
        label_smoothing: opts.labelSmoothing,
        axis: opts.axis,
      },
    );
  }
}

/** Sparse categorical crossentropy loss (`keras.losses.SparseCategoricalCrossentropy`). */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'SparseCategoricalCrossentropy';
  constructor(args: LossArgs & { fromLogits?: boolean; ignoreClass?: number | null } = {}) {
    const opts = { fromLogits: args.fromLogits ?? false, ignoreClass: args.ignoreClass ?? null };
    super(
      (t, p) => sparseCategoricalCrossentropy(t, p, opts),
      { name: args.name ?? 'sparse_categorical_crossentropy', reduction: args.reduction },
      { from_logits: opts.fromLogits, ignore_class: opts.ignoreClass },
    );
  }
}

/** KL divergence loss. */
export class KLDivergence extends LossFunctionWrapper {
  override readonly className = 'KLDivergence';
  constructor(args: LossArgs = {}) {
    super(klDivergence, { name: args.name ?? 'kl_divergence', reduction: args.reduction });
  }
}

/** Poisson loss. */
export class Poisson extends LossFunctionWrapper {
  override readonly className = 'Poisson';
  constructor(args: LossArgs = {}) {
    super(poisson, { name: args.name ?? 'poisson', reduction: args.reduction });
  }
}
