/**
 * `Precision` and `Recall` (Keras 3 defaults: threshold 0.5), from true/false positive counts
 * accumulated over batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Metric } from './metric.js';

abstract class ConfusionMetric extends Metric {
  readonly threshold: number;
  protected truePositives = 0;
  protected other = 0;
  constructor(name: string, threshold: number) {
    super(name, 'up');
    this.threshold = threshold;
  }
  /** Which of false positives (`predicted`) or false negatives (`actual`) the denominator adds. */
  protected abstract readonly against: 'predicted' | 'actual';
  batchStatistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
    return tf.tidy(() => {
      const t = tf.cast(tf.reshape(yTrue, yPred.shape), 'bool');
      const p = tf.greater(yPred, this.threshold);
      let w: tf.Tensor = tf.onesLike(yPred);
      if (sampleWeight !== null) {
        const sw = tf.cast(sampleWeight, 'float32');
        w = tf.mul(w, tf.reshape(sw, [...sw.shape, ...Array<number>(yPred.rank - sw.rank).fill(1)]));
      }
      const tp = tf.sum(tf.mul(tf.cast(tf.logicalAnd(t, p), 'float32'), w));
      const otherMask =
        this.against === 'predicted' ? tf.logicalAnd(tf.logicalNot(t), p) : tf.logicalAnd(t, tf.logicalNot(p));
      const other = tf.sum(tf.mul(tf.cast(otherMask, 'float32'), w));
      return tf.stack([tp, other]) as tf.Tensor1D;
    });
  }
  mergeStatistics(values: ArrayLike<number>): void {
    this.truePositives += values[0]!;
    this.other += values[1]!;
  }
  result(): number {
    const denom = this.truePositives + this.other;
    return denom === 0 ? 0 : this.truePositives / denom;
  }
  resetState(): void {
    this.truePositives = 0;
    this.other = 0;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.threshold, top_k: null, class_id: null };
  }
}

/** `tp / (tp + fp)` of predictions above `threshold`. */
export class Precision extends ConfusionMetric {
  readonly className = 'Precision';
  protected readonly against = 'predicted' as const;
  constructor(args: { name?: string; threshold?: number } = {}) {
    super(args.name ?? 'precision', args.threshold ?? 0.5);
  }
}

/** `tp / (tp + fn)` of predictions above `threshold`. */
export class Recall extends ConfusionMetric {
  readonly className = 'Recall';
  protected readonly against = 'actual' as const;
  constructor(args: { name?: string; threshold?: number } = {}) {
    super(args.name ?? 'recall', args.threshold ?? 0.5);
  }
}
