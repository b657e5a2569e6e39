/**
 * Keras 3 optimizers (`keras.optimizers`) and `getOptimizer` to resolve names
 * (`sgd`, `adam`, `adamw`, `rmsprop`, `adagrad`, any case) and serialized configs.
 */
import { ownValue } from '@strata/graph';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer, baseArgsFromConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { ConfigurationError } from '../utils/errors.js';

export * from './optimizer.js';
export * from './sgd.js';
export * from './adam.js';
export * from './adamw.js';
export * from './rmsprop.js';
export * from './adagrad.js';

type Config = Record<string, unknown>;
const pick = <T>(c: Config, snake: string, camel: string): T | undefined => (c[snake] ?? c[camel]) as T | undefined;

const OPTIMIZERS: Record<string, (c: Config) => Optimizer> = {
  sgd: (c) =>
    new SGD({
      ...baseArgsFromConfig(c),
      momentum: pick(c, 'momentum', 'momentum'),
      nesterov: pick(c, 'nesterov', 'nesterov'),
    }),
  adam: (c) =>
    new Adam({
      ...baseArgsFromConfig(c),
      beta1: pick(c, 'beta_1', 'beta1'),
      beta2: pick(c, 'beta_2', 'beta2'),
      epsilon: pick(c, 'epsilon', 'epsilon'),
      amsgrad: pick(c, 'amsgrad', 'amsgrad'),
    }),
  adamw: (c) =>
    new AdamW({
      ...baseArgsFromConfig(c),
      weightDecay: pick<number>(c, 'weight_decay', 'weightDecay') ?? undefined,
      beta1: pick(c, 'beta_1', 'beta1'),
      beta2: pick(c, 'beta_2', 'beta2'),
      epsilon: pick(c, 'epsilon', 'epsilon'),
      amsgrad: pick(c, 'amsgrad', 'amsgrad'),
    }),
  rmsprop: (c) =>
    new RMSprop({
      ...baseArgsFromConfig(c),
      rho: pick(c, 'rho', 'rho'),
      momentum: pick(c, 'momentum', 'momentum'),
      epsilon: pick(c, 'epsilon', 'epsilon'),
      centered: pick(c, 'centered', 'centered'),
    }),
  adagrad: (c) =>
    new Adagrad({
      ...baseArgsFromConfig(c),
      initialAccumulatorValue: pick(c, 'initial_accumulator_value', 'initialAccumulatorValue'),
      epsilon: pick(c, 'epsilon', 'epsilon'),
    }),
};

/** Whether `name` (any case) is a built-in optimizer, e.g. `Adam`, `rmsprop`. */
export function isOptimizerName(name: string): boolean {
  return ownValue(OPTIMIZERS, name.toLowerCase()) !== undefined;
}

/** An optimizer given by name, instance or serialized `{className, config}`. */
export type OptimizerIdentifier = string | Optimizer | { className: string; config?: Record<string, unknown> };

/** Resolves an optimizer; unknown names are an error listing the valid ones. */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const [name, config] =
    typeof identifier === 'string' ? [identifier, {}] : [identifier.className, identifier.config ?? {}];
  const factory = ownValue(OPTIMIZERS, name.toLowerCase());
  if (factory === undefined) {
    throw new ConfigurationError(`Unknown optimizer "${name}"; valid choices: ${Object.keys(OPTIMIZERS).join(', ')}`);
  }
  return factory(config);
}
