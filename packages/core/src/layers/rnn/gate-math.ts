/**
 * Gate projections shared by the LSTM and GRU cells: either one fused matmul for all gates
 * (Keras implementation 2) or one matmul per gate with that gate's own dropout mask
 * (implementation 1, which Keras forces when `recurrent_dropout > 0`).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Projects `x` by `kernel` (shape `[in, gates·units]`) into `gates` blocks of `units`,
 * each block from `x` times its own mask when per-gate masks are given.
 */
export function projectGates(x: tf.Tensor, kernel: tf.Tensor, gates: number, masks: tf.Tensor[] | null): tf.Tensor[] {
  if (masks === null) return tf.split(tf.matMul(x, kernel), gates, 1);
  if (masks.length === 1) return tf.split(tf.matMul(tf.mul(x, masks[0]!), kernel), gates, 1);
  const kernels = tf.split(kernel, gates, 1);
  return kernels.map((k, g) => tf.matMul(tf.mul(x, masks[g]!), k));
}

/** Adds the `gates` blocks of a bias vector to the projected gates. */
export function addGateBias(projected: tf.Tensor[], bias: tf.Tensor | null): tf.Tensor[] {
  if (bias === null) return projected;
  const blocks = tf.split(bias, projected.length, 0);
  return projected.map((p, g) => tf.add(p, blocks[g]!));
}
