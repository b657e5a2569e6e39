/** Options of `fit`, `evaluate` and `predict` (Keras 3 names in camelCase, Keras defaults). */
import type { Callback } from '../callbacks/callback.js';
import type { ProgressOutput } from '../callbacks/progbar.js';
import { ConfigurationError } from '../utils/errors.js';
import type { DataInput } from '../data/convert.js';
import type { SampleWeightInput } from '../data/arrays.js';
import type { BatchStream } from '../data/batch-stream.js';

/** `verbose`: 0 silent, 1 progress bar, 2 one line per epoch, `auto` = 1. */
export type Verbosity = 'auto' | 0 | 1 | 2;

export type { SampleWeightInput };

/** Validation data: `[x, y]` or `[x, y, sampleWeight]`. */
export type ValidationData = [DataInput, DataInput] | [DataInput, DataInput, SampleWeightInput];

/** Options of `Model.fit`. */
export interface FitArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Epochs to train (default 1); with `initialEpoch`, training runs epochs `initialEpoch..epochs-1`. */
  epochs?: number;
  verbose?: Verbosity;
  /** Fraction of the data (the LAST samples, before shuffling) held out for validation. */
  validationSplit?: number;
  /**
   * Data to validate on at the end of each epoch (overrides `validationSplit`): arrays, or a
   * generator / iterable of batches (a re-iterable one is read afresh for each validation).
   */
  validationData?: ValidationData | BatchStream;
  /** Shuffle training samples every epoch (default true). */
  shuffle?: boolean;
  /** Weight of each class index in the loss (single-output models). */
  classWeight?: Record<number, number>;
  /** Weight of each sample in the loss, shape `[n]` (or one such array per output). */
  sampleWeight?: SampleWeightInput;
  /** Epoch to start from (default 0). */
  initialEpoch?: number;
  callbacks?: Callback[];
  /**
   * Steps per epoch (default: enough batches to see every sample once; with a generator, until it
   * is exhausted). With a generator, each epoch continues where the last one stopped.
   */
  stepsPerEpoch?: number;
  /** Batches per validation (default: all of `validationData`; with a generator, until it is exhausted). */
  validationSteps?: number;
  /** Batch size for validation (default `batchSize`). */
  validationBatchSize?: number;
  /** Where progress goes (default `process.stdout`). */
  progressOutput?: ProgressOutput;
}

/** Options of `Model.evaluate`. */
export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  verbose?: Verbosity;
  sampleWeight?: SampleWeightInput;
  /** Number of batches to evaluate (default all). */
  steps?: number;
  callbacks?: Callback[];
  /** Return `{loss, accuracy, …}` instead of a number or list (default false). */
  returnDict?: boolean;
  progressOutput?: ProgressOutput;
}

/** Options of `Model.predict`. */
export interface PredictArgs {
  /** Default 32. */
  batchSize?: number;
  verbose?: Verbosity;
  steps?: number;
  callbacks?: Callback[];
  progressOutput?: ProgressOutput;
}

/** Resolves `verbose` (`auto` → 1) and checks it. */
export function verbosity(v: Verbosity | undefined): 0 | 1 | 2 {
  if (v === undefined || v === 'auto') return 1;
  if (v !== 0 && v !== 1 && v !== 2)
    throw new ConfigurationError(`verbose must be 'auto', 0, 1 or 2; got ${String(v)}`);
  return v;
}

/** Checks a positive integer option. */
export function positiveInt(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v > 0))
    throw new ConfigurationError(`${name} must be a positive integer, got ${String(value)}`);
  return v;
}

/** Every option of `fit`, for the unknown-key check (a `Record` so a new option cannot be left out). */
export const FIT_OPTIONS: Readonly<Record<keyof FitArgs, true>> = {
  batchSize: true,
  epochs: true,
  verbose: true,
  validationSplit: true,
  validationData: true,
  shuffle: true,
  classWeight: true,
  sampleWeight: true,
  initialEpoch: true,
  callbacks: true,
  stepsPerEpoch: true,
  validationSteps: true,
  validationBatchSize: true,
  progressOutput: true,
};

/** Every option of `evaluate`. */
export const EVALUATE_OPTIONS: Readonly<Record<keyof EvaluateArgs, true>> = {
  batchSize: true,
  verbose: true,
  sampleWeight: true,
  steps: true,
  callbacks: true,
  returnDict: true,
  progressOutput: true,
};

/** Every option of `predict`. */
export const PREDICT_OPTIONS: Readonly<Record<keyof PredictArgs, true>> = {
  batchSize: true,
  verbose: true,
  steps: true,
  callbacks: true,
  progressOutput: true,
};
