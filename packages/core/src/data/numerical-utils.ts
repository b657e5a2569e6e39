/**
 * Keras's `keras.utils.to_categorical` and `keras.utils.normalize`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { toTensor, type ArrayLikeData } from './convert.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

/**
 * Converts a class vector (integers from 0 to `numClasses - 1`) to a one-hot float32 matrix, the
 * class axis last; a trailing axis of size 1 is dropped first, as Keras does (`[n, 1]` → `[n, k]`).
 *
 * @param x - class indices (any shape)
 * @param numClasses - number of classes; default `max(x) + 1`
 * @returns a new float32 tensor (dispose it, or create it inside `tf.tidy`)
 * @throws RangeError when a value is not an integer in `[0, numClasses)`
 *
 * @example
 * ```ts
 * const y = utils.toCategorical([0, 2, 1], 3); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * ```
 */
export function toCategorical(x: ArrayLikeData, numClasses?: number): tf.Tensor {
  const { tensor: labels, created } = toTensor(x, 'toCategorical: x');
  try {
    const shape =
      labels.shape.length > 1 && labels.shape[labels.shape.length - 1] === 1 ? labels.shape.slice(0, -1) : labels.shape;
    const values = labels.dataSync();
    let classes = numClasses;
    if (classes === undefined) classes = values.length === 0 ? 0 : Math.max(...Array.from(values)) + 1;
    if (!Number.isInteger(classes) || classes < 0) {
      throw new ConfigurationError(`toCategorical: numClasses must be a non-negative integer, got ${numClasses}`);
    }
    const out = new Float32Array(values.length * classes);
    values.forEach((value, i) => {
      if (!Number.isInteger(value) || value < 0 || value >= classes) {
        throw new DataError(
          `toCategorical: x[${i}] = ${value} is not a class index in [0, ${classes}) (numClasses = ${classes})`,
        );
      }
      out[i * classes + value] = 1;
    });
    return tf.tensor(out, [...shape, classes], 'float32');
  } finally {
    if (created) labels.dispose();
  }
}

/**
 * Normalizes an array along `axis` by its `order`-norm (Keras `keras.utils.normalize`); zero
 * vectors stay zero.
 *
 * @param x - the array
 * @param axis - the axis to normalize along (default -1)
 * @param order - the norm order: 1 or 2 (default 2)
 * @returns a new float32 tensor
 */
export function normalize(x: ArrayLikeData, axis = -1, order: 1 | 2 = 2): tf.Tensor {
  if (order !== 1 && order !== 2) throw new ConfigurationError(`normalize: order must be 1 or 2, got ${String(order)}`);
  const { tensor: input, created } = toTensor(x, 'normalize: x');
  try {
    return tf.tidy(() => {
      const values = tf.cast(input, 'float32');
      const norm = order === 1 ? tf.sum(tf.abs(values), axis, true) : tf.sqrt(tf.sum(tf.square(values), axis, true));
      // Keras: x / norm with zero norms replaced by 1, so zero vectors stay zero.
      return tf.div(values, tf.where(tf.equal(norm, 0), tf.onesLike(norm), norm));
    });
  } finally {
    if (created) input.dispose();
  }
}
