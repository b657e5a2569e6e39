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
export function gateProjections(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | null,
  gates: number,
  masks: tf.Tensor[] | null,
): tf.Tensor[] {
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

/**
 * The input projection of a whole `(batch, time, features)` sequence, as one matmul per mask
 * instead of one per step and gate: step `t` of the result equals
 * `gateProjections(x[:, t], kernel, bias, gates, masks)` concatenated, `(batch, gates·units)`.
 * Valid because the variational input masks are the same at every step.
 */
export function projectSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | null,
  gates: number,
  masks: tf.Tensor[] | null,
): tf.Tensor[] {
  const [batch, time, features] = x.shape as [number, number, number];
  const flatMasked = (mask: tf.Tensor | null): tf.Tensor =>
    tf.reshape(mask === null ? x : tf.mul(x, tf.expandDims(mask, 1)), [batch * time, features]);
  let projected: tf.Tensor;
  if (masks === null || masks.length === 1) {
    projected = tf.matMul(flatMasked(masks?.[0] ?? null), kernel);
    if (bias !== null) projected = tf.add(projected, bias);
  } else {
    const kernels = tf.split(kernel, gates, 1);
    const biases = bias === null ? null : tf.split(bias, gates, 0);
    projected = tf.concat(
      kernels.map((k, g) => {
        const p = tf.matMul(flatMasked(masks[g]!), k);
        return biases === null ? p : tf.add(p, biases[g]!);
      }),
      1,
    );
  }
  return tf.unstack(tf.reshape(projected, [batch, time, -1]), 1);
}

/**
 * `h ↦ h·recurrentKernel` as `(batch, gates·units)`, set up once per sequence. With one mask per
 * gate (recurrent dropout), the gates' masked copies of `h` go through one batched matmul against
 * the kernel laid out as `[gates, units, units]`, instead of `gates` separate matmuls.
 */
export function recurrentProjector(
  recurrentKernel: tf.Tensor,
  gates: number,
  masks: tf.Tensor[] | null,
): (h: tf.Tensor) => tf.Tensor {
  if (masks === null || masks.length === 1) {
    const mask = masks?.[0] ?? null;
    return (h) => tf.matMul(mask === null ? h : tf.mul(h, mask), recurrentKernel);
  }
  const [rows, columns] = recurrentKernel.shape as [number, number];
  const units = columns / gates;
  // perGate[g] = recurrentKernel[:, g·units : (g+1)·units]
  const perGate = tf.transpose(tf.reshape(recurrentKernel, [rows, gates, units]), [1, 0, 2]);
  const stackedMasks = tf.stack(masks);
  return (h) => {
    const product = tf.matMul(tf.mul(tf.expandDims(h, 0), stackedMasks), perGate);
    return tf.reshape(tf.transpose(product, [1, 0, 2]), [h.shape[0]!, columns]);
  };
}
