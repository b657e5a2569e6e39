/**
 * Regression losses of Keras 3: mean squared / absolute (percentage) / squared-logarithmic
 * error, cosine similarity, Huber and log-cosh — as functions and `Loss` classes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EPSILON, LossFunctionWrapper, alignTargets, type LossArgs } from './loss.js';

/** `mean(square(y_true - y_pred), axis=-1)`. */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.mean(tf.square(tf.sub(t, p)), -1);
  });
}

/** `mean(abs(y_true - y_pred), axis=-1)`. */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.mean(tf.abs(tf.sub(t, p)), -1);
  });
}

/** `100 * mean(abs((y_true - y_pred) / max(abs(y_true), ε)), axis=-1)`. */
export function meanAbsolutePercentageError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    const diff = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON)));
    return tf.mul(100, tf.mean(diff, -1));
  });
}

/** `mean(square(log(max(y_pred, ε) + 1) - log(max(y_true, ε) + 1)), axis=-1)`. */
export function meanSquaredLogarithmicError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    const a = tf.log1p(tf.maximum(p, EPSILON));
    const b = tf.log1p(tf.maximum(t, EPSILON));
    return tf.mean(tf.square(tf.sub(a, b)), -1);
  });
}

function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}

/** `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`. */
export function cosineSimilarity(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.neg(tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis));
  });
}

/** Huber loss: quadratic for |error| ≤ delta, linear beyond (Keras default delta 1.0). */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, delta = 1.0): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    const error = tf.sub(p, t);
    const absError = tf.abs(error);
    const quadratic = tf.mul(0.5, tf.square(error));
    const linear = tf.sub(tf.mul(delta, absError), 0.5 * delta * delta);
    return tf.mean(tf.where(tf.lessEqual(absError, delta), quadratic, linear), -1);
  });
}

/** `mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably. */
export function logCosh(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    const x = tf.sub(p, t);
    // log(cosh(x)) = x + softplus(-2x) - log(2)
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(-2, x))), Math.log(2)), -1);
  });
}

/** Mean squared error loss (`keras.losses.MeanSquaredError`). */
export class MeanSquaredError extends LossFunctionWrapper {
  override readonly className = 'MeanSquaredError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredError, { name: args.name ?? 'mean_squared_error', reduction: args.reduction });
  }
}

/** Mean absolute error loss (`keras.losses.MeanAbsoluteError`). */
export class MeanAbsoluteError extends LossFunctionWrapper {
  override readonly className = 'MeanAbsoluteError';
  constructor(args: LossArgs = {}) {
    super(meanAbsoluteError, { name: args.name ?? 'mean_absolute_error', reduction: args.reduction });
  }
}

/** Mean absolute percentage error loss. */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  override readonly className = 'MeanAbsolutePercentageError';
  constructor(args: LossArgs = {}) {
    super(meanAbsolutePercentageError, {
      name: args.name ?? 'mean_absolute_percentage_error',
      reduction: args.reduction,
    });
  }
}

/** Mean squared logarithmic error loss. */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  override readonly className = 'MeanSquaredLogarithmicError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredLogarithmicError, {
      name: args.name ?? 'mean_squared_logarithmic_error',
      reduction: args.reduction,
    });
  }
}

/** Cosine similarity loss (negative cosine; Keras default axis -1). */
export class CosineSimilarity extends LossFunctionWrapper {
  override readonly className = 'CosineSimilarity';
  constructor(args: LossArgs & { axis?: number } = {}) {
    const axis = args.axis ?? -1;
    super(
      (t, p) => cosineSimilarity(t, p, axis),
      { name: args.name ?? 'cosine_similarity', reduction: args.reduction },
      { axis },
    );
  }
}

/** Huber loss (Keras default delta 1.0). */
export class Huber extends LossFunctionWrapper {
  override readonly className = 'Huber';
  constructor(args: LossArgs & { delta?: number } = {}) {
    const delta = args.delta ?? 1.0;
    super((t, p) => huber(t, p, delta), { name: args.name ?? 'huber_loss', reduction: args.reduction }, { delta });
  }
}

/** Log-cosh loss. */
export class LogCosh extends LossFunctionWrapper {
  override readonly className = 'LogCosh';
  constructor(args: LossArgs = {}) {
    super(logCosh, { name: args.name ?? 'log_cosh', reduction: args.reduction });
  }
}
