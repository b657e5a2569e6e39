/**
 * Mask helpers shared by the attention layers: Keras masks may come as booleans or as
 * 0/1 numbers; causal masks are lower-triangular `(1, T, S)` booleans.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A mask as booleans (`true` = attend / keep); numeric masks keep non-zero entries. */
export function boolMask(mask: tf.Tensor): tf.Tensor {
  return mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
}

/**
 * Keras's causal mask: `(1, T, S)`, true where query position `i` may see key position
 * `j`, i.e. `j <= i` (`cumsum(ones, -2) >= cumsum(ones, -1)`).
 */
export function causalMask(queryLength: number, keyLength: number): tf.Tensor {
  return tf.tidy(() => {
    const rows = tf.reshape(tf.range(0, queryLength, 1, 'int32'), [1, queryLength, 1]);
    const cols = tf.reshape(tf.range(0, keyLength, 1, 'int32'), [1, 1, keyLength]);
    return tf.greaterEqual(rows, cols);
  });
}

/** `a AND b` where either may be absent. */
export function andMasks(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return tf.logicalAnd(a, b);
}

/** The masks of a list call (`[queryMask, valueMask, keyMask?]`); a single mask is the query's. */
export function maskList(mask: tf.Tensor | (tf.Tensor | null)[] | null | undefined): (tf.Tensor | null)[] {
  if (mask === null || mask === undefined) return [];
  return Array.isArray(mask) ? mask : [mask];
}
