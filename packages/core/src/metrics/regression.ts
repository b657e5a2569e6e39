/**
 * Regression and probabilistic metrics of Keras 3: MAE, MSE, RMSE, MAPE, MSLE, cosine
 * similarity, and the crossentropies as running means.
 */
import * as tf from '@tensorflow/tfjs-core';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/probabilistic.js';
import {
  cosineSimilarity,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from '../losses/regression.js';
import { Mean, MeanMetricWrapper } from './metric.js';

/** Options of metrics that take only a name. */
export type NameArg = { name?: string };

/** Running mean absolute error. */
export class MeanAbsoluteError extends MeanMetricWrapper {
  override readonly className = 'MeanAbsoluteError';
  constructor(args: NameArg = {}) {
    super(meanAbsoluteError, args.name ?? 'mean_absolute_error');
  }
}

/** Running mean squared error. */
export class MeanSquaredError extends MeanMetricWrapper {
  override readonly className = 'MeanSquaredError';
  constructor(args: NameArg = {}) {
    super(meanSquaredError, args.name ?? 'mean_squared_error');
  }
}

/** Running mean absolute percentage error. */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  override readonly className = 'MeanAbsolutePercentageError';
  constructor(args: NameArg = {}) {
    super(meanAbsolutePercentageError, args.name ?? 'mean_absolute_percentage_error');
  }
}

/** Running mean squared logarithmic error. */
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  override readonly className = 'MeanSquaredLogarithmicError';
  constructor(args: NameArg = {}) {
    super(meanSquaredLogarithmicError, args.name ?? 'mean_squared_logarithmic_error');
  }
}

/** Root of the running mean squared error (`sqrt(total / count)`, as Keras). */
export class RootMeanSquaredError extends Mean {
  override readonly className = 'RootMeanSquaredError';
  constructor(args: NameArg = {}) {
    super(args.name ?? 'root_mean_squared_error', 'down');
  }
  override batchStatistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor1D {
    return tf.tidy(() => {
      const t = tf.cast(yTrue, 'float32');
      const err = tf.square(tf.sub(t.rank === yPred.rank ? t : tf.reshape(t, yPred.shape), yPred));
      return super.batchStatistics(err, yPred, sampleWeight);
    });
  }
  override result(): number {
    return Math.sqrt(super.result());
  }
  /** Accumulates one batch of targets and predictions (not `Mean`'s `values` form). */
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.accumulate(yTrue, yPred, sampleWeight);
  }
}

/** Running mean cosine similarity (positive: 1 means same direction). */
export class CosineSimilarity extends MeanMetricWrapper {
  override readonly className = 'CosineSimilarity';
  constructor(args: NameArg = {}) {
    super((t, p) => tf.neg(cosineSimilarity(t, p)), args.name ?? 'cosine_similarity', 'up');
  }
}

/** Running mean binary crossentropy. */
export class BinaryCrossentropy extends MeanMetricWrapper {
  override readonly className = 'BinaryCrossentropy';
  constructor(args: NameArg & { fromLogits?: boolean } = {}) {
    super((t, p) => binaryCrossentropy(t, p, { fromLogits: args.fromLogits }), args.name ?? 'binary_crossentropy');
  }
}

/** Running mean categorical crossentropy. */
export class CategoricalCrossentropy extends MeanMetricWrapper {
  override readonly className = 'CategoricalCrossentropy';
  constructor(args: NameArg & { fromLogits?: boolean } = {}) {
    super(
      (t, p) => categoricalCrossentropy(t, p, { fromLogits: args.fromLogits }),
      args.name ?? 'categorical_crossentropy',
    );
  }
}

/** Running mean sparse categorical crossentropy. */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  override readonly className = 'SparseCategoricalCrossentropy';
  constructor(args: NameArg & { fromLogits?: boolean } = {}) {
    super(
      (t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits: args.fromLogits }),
      args.name ?? 'sparse_categorical_crossentropy',
    );
  }
}
