/**
 * `AUC`: area under the ROC curve from confusion counts at fixed thresholds, as Keras 3's
 * default (`num_thresholds` 200, `curve` ROC, `summation_method` interpolation).
 */
import * as tf from '@tensorflow/tfjs-core';
import { EPSILON } from '../losses/loss.js';
import { Metric } from './metric.js';
import { ConfigurationError } from '../utils/errors.js';

/** Options of {@link AUC}. */
export interface AUCArgs {
  name?: string;
  /** Number of thresholds (default 200, at least 2). */
  numThresholds?: number;
}

/** Area under the ROC curve, accumulated over batches (binary targets, probabilities). */
export class AUC extends Metric {
  readonly className = 'AUC';
  readonly numThresholds: number;
  /** Keras's thresholds: `-ε`, `(i + 1) / (n - 1)` for `i < n - 2`, `1 + ε`. */
  readonly thresholds: number[];
  private counts: Float64Array;

  constructor(args: AUCArgs = {}) {
    super(args.name ?? 'auc', 'up');
    this.numThresholds = args.numThresholds ?? 200;
    if (!(Number.isInteger(this.numThresholds) && this.numThresholds > 1)) {
      throw new ConfigurationError(`AUC: numThresholds must be an integer > 1, got ${this.numThresholds}`);
    }
    const n = this.numThresholds;
    this.thresholds = [-EPSILON, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + EPSILON];
    this.counts = new Float64Array(4 * n);
  }

  /** `[tp(T), fp(T), tn(T), fn(T)]` for every threshold T (prediction > T counts as positive). */
  batchStatistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
    return tf.tidy(() => {
      const p = tf.reshape(tf.cast(yPred, 'float32'), [-1, 1]);
      const pos = tf.reshape(tf.cast(yTrue, 'float32'), [-1, 1]);
      const neg = tf.sub(1, pos);
      let w: tf.Tensor = tf.onesLike(pos);
      if (sampleWeight !== null) {
        const perSample = yPred.size / sampleWeight.size;
        w = tf.reshape(tf.tile(tf.reshape(tf.cast(sampleWeight, 'float32'), [-1, 1]), [1, perSample]), [-1, 1]);
      }
      const above = tf.cast(tf.greater(p, tf.tensor2d(this.thresholds, [1, this.numThresholds])), 'float32');
      const below = tf.sub(1, above);
      const count = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.mul(a, b), w), 0);
      return tf.concat([count(above, pos), count(above, neg), count(below, neg), count(below, pos)]) as tf.Tensor1D;
    });
  }

  mergeStatistics(values: ArrayLike<number>): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += values[i]!;
  }

  result(): number {
    const n = this.numThresholds;
    const c = this.counts;
    const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const [tp0, fp0, tn0, fn0] = [c[i]!, c[n + i]!, c[2 * n + i]!, c[3 * n + i]!];
      const [tp1, fp1, tn1, fn1] = [c[i + 1]!, c[n + i + 1]!, c[2 * n + i + 1]!, c[3 * n + i + 1]!];
      const x0 = div(fp0, fp0 + tn0);
      const x1 = div(fp1, fp1 + tn1);
      const y0 = div(tp0, tp0 + fn0);
      const y1 = div(tp1, tp1 + fn1);
      area += (x0 - x1) * ((y0 + y1) / 2);
    }
    return area;
  }

  resetState(): void {
    this.counts = new Float64Array(4 * this.numThresholds);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: 'ROC',
      summation_method: 'interpolation',
      multi_label: false,
    };
  }
}
