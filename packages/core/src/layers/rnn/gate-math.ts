/**
 * Gate projections shared by the LSTM and GRU cells: one fused matmul (plus bias) for all gates,
 * split once (Keras implementation 2), or one matmul per gate with that gate's own dropout mask
 * (implementation 1, which Keras forces when `recurrent_dropout > 0`).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `x·kernel + bias` (kernel `[in, gates·units]`) as `gates` blocks of `units`. With one mask (or
 * none) the product is fused; with per-gate masks each block uses `x` times its own mask.
 */
export function gateProjections(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, gates: number, masks: tf.Tensor[] | null): tf.Tensor[] {
  if (masks === null || masks.length === 1) {
    const masked = masks === null ? x : tf.mul(x, masks[0]!);
    const projected = tf.matMul(masked, kernel);
    return tf.split(bias === null ? projected : tf.add(projected, bias), gates, 1);
  }
  const kernels = tf.split(kernel, gates, 1);
  const biases = bias === null ? null : tf.split(bias, gates, 0);
  return kernels.map((k, g) => {
    const projected = tf.matMul(tf.mul(x, masks[g]!), k);
    return biases === null ? projected : tf.add(projected, biases[g]!);
  });
}
