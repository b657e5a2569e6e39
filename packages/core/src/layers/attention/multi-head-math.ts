/**
 * The einsums of Keras's multi-head attention (`_build_attention_equation`) as transposes
 * and batched matmuls. Projected tensors are `(batch, <other axes>, <attention axes>, heads,
 * channels)`; every axis except the attention axes and the channels is a batch axis.
 */
import * as tf from '@tensorflow/tfjs-core';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** What {@link attendOverAxes} returns. */
export interface Attended {
  /** `(batch, …, heads, valueChannels)`, in the query's axis order. */
  output: tf.Tensor;
  /** The attention weights `(<batch axes incl. heads>, <query attention axes>, <key attention axes>)`, before dropout. */
  weights: tf.Tensor;
}

/**
 * `scores = einsum(key, query)`, `weights = normalize(scores)`, `output = einsum(dropout(weights), value)`.
 *
 * @param query - projected query, already scaled by `1/sqrt(keyDim)`
 * @param axes - attention axes of the projected tensors (between batch and heads)
 * @param normalize - turns raw scores into weights (masked softmax over the key attention axes)
 * @param dropout - applied to the weights before they combine the values
 */
export function attendOverAxes(
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  axes: readonly number[],
  normalize: (scores: tf.Tensor) => tf.Tensor,
  dropout: (weights: tf.Tensor) => tf.Tensor,
): Attended {
  const rank = query.rank;
  const batchAxes = [...Array(rank - 1).keys()].filter((a) => !axes.includes(a));
  const perm = [...batchAxes, ...axes, rank - 1];
  const batchSizes = batchAxes.map((a) => query.shape[a]!);
  const querySizes = axes.map((a) => query.shape[a]!);
  const keySizes = axes.map((a) => key.shape[a]!);
  const flatBatch = product(batchSizes);
  const flat = (t: tf.Tensor, sizes: number[]): tf.Tensor3D =>
    tf.reshape(tf.transpose(t, perm), [flatBatch, product(sizes), t.shape[rank - 1]!]) as tf.Tensor3D;
  const q = flat(query, querySizes);
  const k = flat(key, keySizes);
  const v = flat(value, keySizes);
  const scores = tf.reshape(tf.matMul(q, k, false, true), [...batchSizes, ...querySizes, ...keySizes]);
  const weights = normalize(scores);
  const dropped = dropout(weights);
  const combined = tf.matMul(
    tf.reshape(dropped, [flatBatch, product(querySizes), product(keySizes)]) as tf.Tensor3D,
    v,
  );
  const ordered = tf.reshape(combined, [...batchSizes, ...querySizes, value.shape[rank - 1]!]);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { output: tf.transpose(ordered, inverse), weights };
}

/**
 * Expands an attention mask to the scores' rank as Keras's `_masked_softmax`: new axes go in
 * front of the query attention axes (i.e. at the heads axis), then broadcast to `shape`.
 */
export function expandMask(mask: tf.Tensor, shape: readonly number[], attentionAxisCount: number): tf.Tensor {
  let expanded = mask;
  const axis = -attentionAxisCount * 2 - 1;
  while (expanded.rank < shape.length) expanded = tf.expandDims(expanded, expanded.rank + axis + 1);
  return tf.broadcastTo(expanded, [...shape]);
}
