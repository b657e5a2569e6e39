/**
 * The `beta` / `gamma` options that `LayerNormalization` and `GroupNormalization` share (Keras
 * names and defaults): resolution, weight creation and the config keys.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import type { Layer, LayerConfig } from '../../engine/layer.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  resolveRegularizer,
} from '../weight-options.js';

/** Options of the learned offset `beta` and scale `gamma`. */
export interface AffineSettingsArgs {
  /** Initializer of `beta` [`zeros`]. */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of `gamma` [`ones`]. */
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** The resolved `beta` / `gamma` settings. */
export interface AffineSettings {
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
}

/** Resolves the options (Keras defaults: `beta` zeros, `gamma` ones, no regularizer or constraint). */
export function resolveAffineSettings(options: AffineSettingsArgs): AffineSettings {
  return {
    betaInitializer: getInitializer(options.betaInitializer ?? 'zeros'),
    gammaInitializer: getInitializer(options.gammaInitializer ?? 'ones'),
    betaRegularizer: resolveRegularizer(options.betaRegularizer),
    gammaRegularizer: resolveRegularizer(options.gammaRegularizer),
    betaConstraint: resolveConstraint(options.betaConstraint),
    gammaConstraint: resolveConstraint(options.gammaConstraint),
  };
}

/** Creates `layer`'s `gamma` or `beta` weight with its settings. */
export function addAffineWeight(
  layer: Layer,
  name: 'gamma' | 'beta',
  shape: number[],
  settings: AffineSettings,
): tf.Variable {
  const options =
    name === 'gamma'
      ? {
          initializer: settings.gammaInitializer,
          regularizer: settings.gammaRegularizer,
          constraint: settings.gammaConstraint,
        }
      : {
          initializer: settings.betaInitializer,
          regularizer: settings.betaRegularizer,
          constraint: settings.betaConstraint,
        };
  return layer.addWeight(name, shape, options).value;
}

/** The config keys of the settings, in Keras order. */
export function affineSettingsConfig(settings: AffineSettings): LayerConfig {
  return {
    betaInitializer: initializerConfig(settings.betaInitializer),
    gammaInitializer: initializerConfig(settings.gammaInitializer),
    betaRegularizer: regularizerConfig(settings.betaRegularizer),
    gammaRegularizer: regularizerConfig(settings.gammaRegularizer),
    betaConstraint: constraintConfig(settings.betaConstraint),
    gammaConstraint: constraintConfig(settings.gammaConstraint),
  };
}
