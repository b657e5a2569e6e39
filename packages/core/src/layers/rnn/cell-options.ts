/**
 * Options shared by Keras's built-in recurrent cells (SimpleRNN, LSTM, GRU): resolving
 * them once, creating the standard weights and writing their Keras config.
 */
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationIdentifier,
} from '../../activations/index.js';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import type { LayerArgs, LayerConfig } from '../../engine/layer.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  resolveRegularizer,
} from '../weight-options.js';
import { clampRate } from './dropout-masks.js';
import { ConfigurationError } from '../../utils/errors.js';

/** Options of the built-in cells (Keras defaults in brackets). */
export interface CellArgs extends LayerArgs {
  /** Output activation [tanh]. */
  activation?: ActivationIdentifier;
  /** Gate activation, LSTM/GRU only [sigmoid]. */
  recurrentActivation?: ActivationIdentifier;
  /** Whether to use biases [true]. */
  useBias?: boolean;
  /** Input kernel initializer [glorot_uniform]. */
  kernelInitializer?: InitializerIdentifier;
  /** Recurrent kernel initializer [orthogonal]. */
  recurrentInitializer?: InitializerIdentifier;
  /** Bias initializer [zeros]. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the input units to drop, one mask per call reused at every step [0]. */
  dropout?: number;
  /** Fraction of the recurrent units to drop, one mask per call reused at every step [0]. */
  recurrentDropout?: number;
  /** Seed of the dropout masks [random]. */
  seed?: number | null;
}

/** The resolved options. */
export interface CellOptions {
  activation: ActivationFn;
  activationName: string;
  recurrentActivation: ActivationFn;
  recurrentActivationName: string;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  recurrentRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  recurrentConstraint: Constraint | null;
  biasConstraint: Constraint | null;
  dropout: number;
  recurrentDropout: number;
  seed: number | null;
}

/** Resolves cell options with Keras's defaults. */
export function resolveCellOptions(args: CellArgs, cellName: string, units: number): CellOptions {
  if (!Number.isInteger(units) || units <= 0) {
    throw new ConfigurationError(`Layer "${cellName}": units must be a positive integer, got ${String(units)}`);
  }
  return {
    activation: getActivation(args.activation === undefined ? 'tanh' : args.activation),
    activationName: serializeActivation(args.activation === undefined ? 'tanh' : args.activation),
    recurrentActivation: getActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation),
    recurrentActivationName: serializeActivation(
      args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
    ),
    useBias: args.useBias ?? true,
    kernelInitializer: getInitializer(args.kernelInitializer ?? 'glorot_uniform'),
    recurrentInitializer: getInitializer(args.recurrentInitializer ?? 'orthogonal'),
    biasInitializer: getInitializer(args.biasInitializer ?? 'zeros'),
    kernelRegularizer: resolveRegularizer(args.kernelRegularizer),
    recurrentRegularizer: resolveRegularizer(args.recurrentRegularizer),
    biasRegularizer: resolveRegularizer(args.biasRegularizer),
    kernelConstraint: resolveConstraint(args.kernelConstraint),
    recurrentConstraint: resolveConstraint(args.recurrentConstraint),
    biasConstraint: resolveConstraint(args.biasConstraint),
    dropout: clampRate(args.dropout),
    recurrentDropout: clampRate(args.recurrentDropout),
    seed: args.seed ?? null,
  };
}

/** The Keras config entries of the options (without `recurrentActivation` for SimpleRNN). */
export function cellOptionsConfig(options: CellOptions, withRecurrentActivation: boolean): LayerConfig {
  return {
    activation: options.activationName,
    ...(withRecurrentActivation ? { recurrentActivation: options.recurrentActivationName } : {}),
    useBias: options.useBias,
    kernelInitializer: initializerConfig(options.kernelInitializer),
    recurrentInitializer: initializerConfig(options.recurrentInitializer),
    biasInitializer: initializerConfig(options.biasInitializer),
    kernelRegularizer: regularizerConfig(options.kernelRegularizer),
    recurrentRegularizer: regularizerConfig(options.recurrentRegularizer),
    biasRegularizer: regularizerConfig(options.biasRegularizer),
    kernelConstraint: constraintConfig(options.kernelConstraint),
    recurrentConstraint: constraintConfig(options.recurrentConstraint),
    biasConstraint: constraintConfig(options.biasConstraint),
    dropout: options.dropout,
    recurrentDropout: options.recurrentDropout,
    seed: options.seed,
  };
}
