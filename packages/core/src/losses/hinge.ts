/**
 * Hinge losses of Keras 3 (`hinge`, `squared_hinge`, `categorical_hinge`). Binary 0/1 targets
 * are mapped to -1/+1 first, as Keras does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LossFunctionWrapper, alignTargets, type LossArgs } from './loss.js';

function toSigned(t: tf.Tensor): tf.Tensor {
  const isBinary = tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1)));
  return tf.where(isBinary, tf.sub(tf.mul(2, t), 1), t);
}

/** `mean(max(1 - y_true * y_pred, 0), axis=-1)`. */
export function hinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.mean(tf.relu(tf.sub(1, tf.mul(toSigned(t), p))), -1);
  });
}

/** `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`. */
export function squaredHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(toSigned(t), p)))), -1);
  });
}

/** `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`. */
export function categoricalHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = alignTargets(yTrue, yPred);
    const pos = tf.sum(tf.mul(t, p), -1);
    const neg = tf.max(tf.mul(tf.sub(1, t), p), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  });
}

/** Hinge loss. */
export class Hinge extends LossFunctionWrapper {
  override readonly className = 'Hinge';
  constructor(args: LossArgs = {}) {
    super(hinge, { name: args.name ?? 'hinge', reduction: args.reduction });
  }
}

/** Squared hinge loss. */
export class SquaredHinge extends LossFunctionWrapper {
  override readonly className = 'SquaredHinge';
  constructor(args: LossArgs = {}) {
    super(squaredHinge, { name: args.name ?? 'squared_hinge', reduction: args.reduction });
  }
}

/** Categorical hinge loss. */
export class CategoricalHinge extends LossFunctionWrapper {
  override readonly className = 'CategoricalHinge';
  constructor(args: LossArgs = {}) {
    super(categoricalHinge, { name: args.name ?? 'categorical_hinge', reduction: args.reduction });
  }
}
