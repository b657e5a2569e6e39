/**
 * Stateful metrics (Keras `keras.metrics.Metric`): `updateState` accumulates over batches,
 * `result` reports, `resetState` starts over. State lives in JS numbers, so a metric holds no
 * tensors; each update computes its batch statistics as one small tensor the trainer can read
 * together with the other metrics' in a single sync.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Whether a larger value is better (`up`) or worse (`down`); used by callbacks in `auto` mode. */
export type MetricDirection = 'up' | 'down';

/** Base class of metrics. */
export abstract class Metric {
  /** Keras class name. */
  abstract readonly className: string;
  /** Name used in logs (`accuracy`, `val_loss` is built from `loss`, …). */
  name: string;
  /** Direction of improvement. */
  readonly direction: MetricDirection;

  constructor(name: string, direction: MetricDirection) {
    this.name = name;
    this.direction = direction;
  }

  /** Statistics of one batch as a 1-D tensor (e.g. `[weightedSum, weightCount]`). */
  abstract batchStatistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D;

  /** Adds statistics produced by `batchStatistics` to the running state. */
  abstract mergeStatistics(values: ArrayLike<number>): void;

  /** The current value. */
  abstract result(): number;

  /** Clears the state. */
  abstract resetState(): void;

  /** Accumulates one batch (Keras `update_state`). */
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.accumulate(yTrue, yPred, sampleWeight);
  }

  /** Adds one batch's statistics to the state (one read-back). */
  protected accumulate(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): void {
    const stats = this.batchStatistics(yTrue, yPred, sampleWeight);
    try {
      this.mergeStatistics(stats.dataSync());
    } finally {
      stats.dispose();
    }
  }

  /** Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: 'float32' };
  }
}

/** Per-sample values of a `[batch, ...]` tensor: trailing axes averaged. */
export function samplewise(values: tf.Tensor): tf.Tensor {
  if (values.rank <= 1) return values;
  return tf.mean(
    values,
    Array.from({ length: values.rank - 1 }, (_, i) => i + 1),
  );
}

/** `[sum(values * w), sum(w)]` with per-sample weights broadcast (count of values when unweighted). */
export function weightedSumAndCount(values: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
  return tf.tidy(() => {
    const v = tf.cast(samplewise(values), 'float32');
    if (sampleWeight === null) return tf.stack([tf.sum(v), tf.scalar(v.size)]) as tf.Tensor1D;
    let w = tf.cast(sampleWeight, 'float32');
    w = w.rank > v.rank ? tf.reshape(w, v.shape) : w;
    const wb = tf.broadcastTo(
      w.rank < v.rank ? tf.reshape(w, [...w.shape, ...Array<number>(v.rank - w.rank).fill(1)]) : w,
      v.shape,
    );
    return tf.stack([tf.sum(tf.mul(v, wb)), tf.sum(wb)]) as tf.Tensor1D;
  });
}

/** A weighted running mean (Keras `Mean`): `total / count`. */
export class Mean extends Metric {
  readonly className: string = 'Mean';
  protected total = 0;
  protected count = 0;

  constructor(name = 'mean', direction: MetricDirection = 'down') {
    super(name, direction);
  }

  /** Statistics of values (any shape) with optional per-sample weights. */
  batchStatistics(yTrue: tf.Tensor, _yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
    return weightedSumAndCount(yTrue, sampleWeight);
  }

  /**
   * Adds values to the running mean (Keras `Mean.update_state(values, sample_weight)`): a number,
   * or a tensor of any shape (every element counts, weighted per sample by `sampleWeight`). This is
   * the tracker of a custom `trainStep`: `lossTracker.updateState(loss)`, then `lossTracker.result()`.
   */
  override updateState(values: tf.Tensor | number, sampleWeight: tf.Tensor | null = null): void {
    if (typeof values === 'number') {
      this.addValue(values);
      return;
    }
    this.accumulate(values, values, sampleWeight);
  }

  /** Adds a plain number with a weight (the trainer's loss tracker uses the batch size). */
  addValue(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }

  mergeStatistics(values: ArrayLike<number>): void {
    this.total += values[0]!;
    this.count += values[1]!;
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** Metric values of a batch: per-sample values from a function of targets and predictions. */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The running mean of a per-sample function (Keras `MeanMetricWrapper`). */
export class MeanMetricWrapper extends Mean {
  override readonly className: string = 'MeanMetricWrapper';
  constructor(
    readonly fn: MetricFn,
    name: string,
    direction: MetricDirection = 'down',
  ) {
    super(name, direction);
  }

  override batchStatistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
    return tf.tidy(() => weightedSumAndCount(this.fn(yTrue, yPred), sampleWeight));
  }

  /** Accumulates one batch of targets and predictions (not `Mean`'s `values` form). */
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.accumulate(yTrue, yPred, sampleWeight);
  }
}
