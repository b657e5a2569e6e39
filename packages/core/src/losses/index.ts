/**
 * Keras 3 losses (`keras.losses`): classes, functions and `getLoss` to resolve names
 * (snake_case function names, class names, and the aliases `mse`, `mae`, `mape`, `msle`, `bce`, `kld`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ownValue } from '@strata/graph';
import { Loss, LossFunctionWrapper, type LossFn } from './loss.js';
import { CategoricalHinge, Hinge, SquaredHinge, categoricalHinge, hinge, squaredHinge } from './hinge.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  categoricalCrossentropy,
  klDivergence,
  poisson,
  sparseCategoricalCrossentropy,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  cosineSimilarity,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from './regression.js';
import { ConfigurationError } from '../utils/errors.js';

export * from './loss.js';
export * from './hinge.js';
export * from './probabilistic.js';
export * from './regression.js';

type LossConfig = Record<string, unknown>;
const num = (c: LossConfig, k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
const bool = (c: LossConfig, k: string): boolean | undefined =>
  typeof c[k] === 'boolean' ? (c[k] as boolean) : undefined;
const common = (c: LossConfig): { name?: string; reduction?: Loss['reduction'] } => ({
  name: typeof c['name'] === 'string' ? (c['name'] as string) : undefined,
  reduction: typeof c['reduction'] === 'string' ? (c['reduction'] as Loss['reduction']) : undefined,
});
const ce = (c: LossConfig): { fromLogits?: boolean; labelSmoothing?: number; axis?: number } => ({
  fromLogits: bool(c, 'from_logits') ?? bool(c, 'fromLogits'),
  labelSmoothing: num(c, 'label_smoothing') ?? num(c, 'labelSmoothing'),
  axis: num(c, 'axis'),
});

/** Loss classes by Keras class name (config in Keras snake_case or camelCase). */
const LOSS_CLASSES: Record<string, (config: LossConfig) => Loss> = {
  MeanSquaredError: (c) => new MeanSquaredError(common(c)),
  MeanAbsoluteError: (c) => new MeanAbsoluteError(common(c)),
  MeanAbsolutePercentageError: (c) => new MeanAbsolutePercentageError(common(c)),
  MeanSquaredLogarithmicError: (c) => new MeanSquaredLogarithmicError(common(c)),
  CosineSimilarity: (c) => new CosineSimilarity({ ...common(c), axis: num(c, 'axis') }),
  Huber: (c) => new Huber({ ...common(c), delta: num(c, 'delta') }),
  LogCosh: (c) => new LogCosh(common(c)),
  BinaryCrossentropy: (c) => new BinaryCrossentropy({ ...common(c), ...ce(c) }),
  CategoricalCrossentropy: (c) => new CategoricalCrossentropy({ ...common(c), ...ce(c) }),
  SparseCategoricalCrossentropy: (c) =>
    new SparseCategoricalCrossentropy({
      ...common(c),
      fromLogits: bool(c, 'from_logits') ?? bool(c, 'fromLogits'),
      ignoreClass: num(c, 'ignore_class') ?? num(c, 'ignoreClass') ?? null,
    }),
  KLDivergence: (c) => new KLDivergence(common(c)),
  Poisson: (c) => new Poisson(common(c)),
  Hinge: (c) => new Hinge(common(c)),
  SquaredHinge: (c) => new SquaredHinge(common(c)),
  CategoricalHinge: (c) => new CategoricalHinge(common(c)),
};

/** Loss functions by Keras name (snake_case) and alias. */
export const LOSS_FUNCTIONS: Record<string, LossFn> = {
  mean_squared_error: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  cosine_similarity: (t, p) => cosineSimilarity(t, p),
  huber: (t, p) => huber(t, p),
  log_cosh: logCosh,
  binary_crossentropy: (t, p) => binaryCrossentropy(t, p),
  categorical_crossentropy: (t, p) => categoricalCrossentropy(t, p),
  sparse_categorical_crossentropy: (t, p) => sparseCategoricalCrossentropy(t, p),
  kl_divergence: klDivergence,
  poisson,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  mse: meanSquaredError,
  MSE: meanSquaredError,
  mae: meanAbsoluteError,
  MAE: meanAbsoluteError,
  mape: meanAbsolutePercentageError,
  MAPE: meanAbsolutePercentageError,
  msle: meanSquaredLogarithmicError,
  MSLE: meanSquaredLogarithmicError,
  bce: (t, p) => binaryCrossentropy(t, p),
  BCE: (t, p) => binaryCrossentropy(t, p),
  kld: klDivergence,
  KLD: klDivergence,
};

/** A loss given by Keras name, class name, serialized `{className, config}`, `Loss` instance or function. */
export type LossIdentifier = string | Loss | LossFn | { className: string; config?: Record<string, unknown> };

/** Every name `getLoss` accepts. */
export function lossNames(): string[] {
  return [...Object.keys(LOSS_FUNCTIONS), ...Object.keys(LOSS_CLASSES)];
}

/**
 * Resolves a loss. Strings name a function (wrapped in a `Loss` named after the string, as Keras's
 * `compile` does) or a class; unknown names are an error listing the valid ones.
 */
export function getLoss(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier, { name: identifier.name || 'loss' });
  if (typeof identifier === 'string') {
    const fn = ownValue(LOSS_FUNCTIONS, identifier);
    if (fn !== undefined) return new LossFunctionWrapper(fn, { name: identifier });
    const cls = ownValue(LOSS_CLASSES, identifier);
    if (cls !== undefined) return cls({});
    throw new ConfigurationError(`Unknown loss "${identifier}"; valid choices: ${lossNames().join(', ')}`);
  }
  if (identifier !== null && typeof identifier === 'object') {
    // Serialized form, camelCase or as written by Keras (`class_name`).
    const raw = identifier as { className?: unknown; class_name?: unknown; config?: Record<string, unknown> };
    const className = raw.className ?? raw.class_name;
    if (typeof className === 'string') {
      const cls = ownValue(LOSS_CLASSES, className);
      if (cls === undefined) {
        const fn = ownValue(LOSS_FUNCTIONS, className);
        if (fn !== undefined) return new LossFunctionWrapper(fn, { name: className });
        throw new ConfigurationError(
          `Unknown loss class "${className}"; valid choices: ${Object.keys(LOSS_CLASSES).join(', ')}`,
        );
      }
      return cls(raw.config ?? {});
    }
  }
  throw new ConfigurationError(
    `Invalid loss ${String(identifier)}; expected a name, a Loss, a function or {className, config}`,
  );
}

/** Type guard for tensors-returning loss functions (used by `compile`). */
export function isLossFn(value: unknown): value is (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return typeof value === 'function';
}
