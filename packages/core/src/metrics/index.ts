/**
 * Keras 3 metrics (`keras.metrics`) and `getMetric` to resolve names: class names, their
 * snake_case forms and the aliases `mse`, `mae`, `mape`, `msle`, `bce`. (`accuracy`/`acc` in
 * `compile` are resolved by the trainer from the loss and output shape, as Keras does.)
 */
import { ownValue } from '@strata/graph';
import { Metric, MeanMetricWrapper, Mean, type MetricFn } from './metric.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
} from './accuracy.js';
import { AUC } from './auc.js';
import { Precision, Recall } from './confusion.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineSimilarity,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
  SparseCategoricalCrossentropy,
} from './regression.js';
import { ConfigurationError } from '../utils/errors.js';

export * from './metric.js';
export * from './accuracy.js';
export * from './confusion.js';
export * from './auc.js';
export * from './regression.js';

const METRICS: Record<string, () => Metric> = {
  Mean: () => new Mean(),
  Accuracy: () => new Accuracy(),
  BinaryAccuracy: () => new BinaryAccuracy(),
  CategoricalAccuracy: () => new CategoricalAccuracy(),
  SparseCategoricalAccuracy: () => new SparseCategoricalAccuracy(),
  SparseTopKCategoricalAccuracy: () => new SparseTopKCategoricalAccuracy(),
  MeanAbsoluteError: () => new MeanAbsoluteError(),
  MeanSquaredError: () => new MeanSquaredError(),
  MeanAbsolutePercentageError: () => new MeanAbsolutePercentageError(),
  MeanSquaredLogarithmicError: () => new MeanSquaredLogarithmicError(),
  RootMeanSquaredError: () => new RootMeanSquaredError(),
  CosineSimilarity: () => new CosineSimilarity(),
  BinaryCrossentropy: () => new BinaryCrossentropy(),
  CategoricalCrossentropy: () => new CategoricalCrossentropy(),
  SparseCategoricalCrossentropy: () => new SparseCategoricalCrossentropy(),
  Precision: () => new Precision(),
  Recall: () => new Recall(),
  AUC: () => new AUC(),
};

const ALIASES: Record<string, string> = {
  mean: 'Mean',
  accuracy: 'Accuracy',
  binary_accuracy: 'BinaryAccuracy',
  categorical_accuracy: 'CategoricalAccuracy',
  sparse_categorical_accuracy: 'SparseCategoricalAccuracy',
  sparse_top_k_categorical_accuracy: 'SparseTopKCategoricalAccuracy',
  mean_absolute_error: 'MeanAbsoluteError',
  mean_squared_error: 'MeanSquaredError',
  mean_absolute_percentage_error: 'MeanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'MeanSquaredLogarithmicError',
  root_mean_squared_error: 'RootMeanSquaredError',
  cosine_similarity: 'CosineSimilarity',
  binary_crossentropy: 'BinaryCrossentropy',
  categorical_crossentropy: 'CategoricalCrossentropy',
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  precision: 'Precision',
  recall: 'Recall',
  auc: 'AUC',
  mse: 'MeanSquaredError',
  MSE: 'MeanSquaredError',
  mae: 'MeanAbsoluteError',
  MAE: 'MeanAbsoluteError',
  mape: 'MeanAbsolutePercentageError',
  MAPE: 'MeanAbsolutePercentageError',
  msle: 'MeanSquaredLogarithmicError',
  MSLE: 'MeanSquaredLogarithmicError',
  bce: 'BinaryCrossentropy',
  BCE: 'BinaryCrossentropy',
};

/** A metric given by name, instance or per-sample function. */
export type MetricIdentifier = string | Metric | MetricFn | { className: string; config?: Record<string, unknown> };

/** Every metric name `getMetric` accepts (plus `acc`, resolved in `compile`). */
export function metricNames(): string[] {
  return [...Object.keys(ALIASES), ...Object.keys(METRICS)];
}

/**
 * Resolves a metric. A string gives a fresh metric named after the string (as Keras's compile:
 * `'mse'` logs as `mse`); unknown names are an error listing the valid ones.
 */
export function getMetric(identifier: MetricIdentifier): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier, identifier.name || 'metric');
  if (typeof identifier === 'string') {
    const factory = ownValue(METRICS, identifier) ?? ownValue(METRICS, ownValue(ALIASES, identifier) ?? '');
    if (factory === undefined) {
      throw new ConfigurationError(`Unknown metric "${identifier}"; valid choices: acc, ${metricNames().join(', ')}`);
    }
    const metric = factory();
    metric.name = identifier;
    return metric;
  }
  if (identifier !== null && typeof identifier === 'object') {
    // Serialized form, camelCase or as written by Keras (`class_name`).
    const raw = identifier as { className?: unknown; class_name?: unknown; config?: Record<string, unknown> };
    const className = raw.className ?? raw.class_name;
    if (typeof className === 'string') {
      const metric = getMetric(className);
      const name = raw.config?.['name'];
      metric.name = typeof name === 'string' ? name : metric.name;
      return metric;
    }
  }
  throw new ConfigurationError(`Invalid metric ${String(identifier)}; expected a name, a Metric or a function`);
}
