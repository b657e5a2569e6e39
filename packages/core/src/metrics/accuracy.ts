/**
 * Accuracy metrics of Keras 3: `Accuracy`, `BinaryAccuracy` (threshold 0.5),
 * `CategoricalAccuracy`, `SparseCategoricalAccuracy`, `SparseTopKCategoricalAccuracy` (k 5).
 */
import * as tf from '@tensorflow/tfjs-core';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import { MeanMetricWrapper } from './metric.js';

/** Element-wise equality of targets and predictions (as float). */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
    return tf.cast(tf.equal(t, p), 'float32');
  });
}

/** Share of predictions on the right side of `threshold`, per sample. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
    const predicted = tf.cast(tf.greater(p, threshold), 'float32');
    return tf.mean(tf.cast(tf.equal(t, predicted), 'float32'), -1);
  });
}

/** Whether the arg-max of one-hot targets and predictions agree, per sample. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32'));
}

function sparseLabels(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  let t = tf.cast(yTrue, 'int32');
  if (t.rank === yPred.rank && t.shape[t.rank - 1] === 1) t = tf.squeeze(t, [t.rank - 1]);
  return t;
}

/** Whether integer targets equal the arg-max of predictions, per sample. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.cast(tf.equal(sparseLabels(yTrue, yPred), tf.cast(tf.argMax(yPred, -1), 'int32')), 'float32'),
  );
}

/** Whether integer targets are among the `k` largest predictions, per sample. */
export function sparseTopKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, k = 5): tf.Tensor {
  return tf.tidy(() => {
    const labels = tf.reshape(sparseLabels(yTrue, yPred), [-1, 1]);
    const flat = tf.reshape(yPred, [-1, yPred.shape[yPred.rank - 1]!]);
    const { indices } = tf.topk(flat, Math.min(k, flat.shape[1]!));
    const hit = tf.any(tf.equal(indices, labels), -1);
    return tf.reshape(tf.cast(hit, 'float32'), yPred.shape.slice(0, -1));
  });
}

/** How often predictions equal targets. */
export class Accuracy extends MeanMetricWrapper {
  override readonly className = 'Accuracy';
  constructor(args: { name?: string } = {}) {
    super(accuracy, args.name ?? 'accuracy', 'up');
  }
}

/** How often thresholded predictions match binary targets (Keras default threshold 0.5). */
export class BinaryAccuracy extends MeanMetricWrapper {
  override readonly className = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(args: { name?: string; threshold?: number } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), args.name ?? 'binary_accuracy', 'up');
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** How often the predicted class matches one-hot targets. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'CategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(categoricalAccuracy, args.name ?? 'categorical_accuracy', 'up');
  }
}

/** How often the predicted class matches integer targets. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'SparseCategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, args.name ?? 'sparse_categorical_accuracy', 'up');
  }
}

/** How often integer targets are in the top `k` predictions (Keras default k 5). */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    const k = args.k ?? 5;
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), args.name ?? 'sparse_top_k_categorical_accuracy', 'up');
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}
