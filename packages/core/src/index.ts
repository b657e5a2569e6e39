/**
 * `@strata/core`: Keras 3-style layers, models and training on TensorFlow.js kernels.
 *
 * ```ts
 * import { initBackend, Sequential, Input, layers } from '@strata/core';
 * await initBackend();
 * const model = new Sequential([Input([784]), new layers.Dense(10, { activation: 'softmax' })]);
 * ```
 *
 * @packageDocumentation
 */
export type { TfChainedOps } from './tf-chained-ops.js';
/**
 * TensorFlow.js core (`@tensorflow/tfjs-core`) as Strata uses it; its reference is TF.js's own API
 * documentation, so it is left out of Strata's.
 *
 * @hidden
 */
export * as tf from '@tensorflow/tfjs-core';
export * from './backend/select.js';
export * from './engine/index.js';
/** A shape with the batch dimension, `null` for unknown sizes (as layers' `build` and `computeOutputShape` take it). */
export type { Shape } from '@strata/graph';
export * as layers from './layers/index.js';
export * as activations from './activations/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export * as callbacks from './callbacks/index.js';
export * as utils from './utils-namespace.js';
export { plotModel, plotHistory } from './visualization/plot.js';
export * from './data/index.js';
export type {
  FitArgs,
  EvaluateArgs,
  PredictArgs,
  SampleWeightInput,
  Verbosity,
  ValidationData,
} from './training/args.js';
export type { LossSpec, LossWeightsSpec, MetricSpec, CompiledHeads } from './training/compiled.js';
export { GradientTape, computeGradients, type GradientSources, type Recorded } from './training/gradient-tape.js';
export type { Batch, OutputSampleWeights } from './data/arrays.js';
export { isBatchStream, type BatchItem, type BatchStream } from './data/batch-stream.js';
export * from './saving/index.js';
// Error kinds, for `instanceof` (see utils/errors.ts). Shape problems are `@strata/graph`'s
// `ShapeError`, re-exported so users need not depend on graph to catch them.
export {
  StrataError,
  ConfigurationError,
  NotCompiledError,
  NotBuiltError,
  DataError,
  InputShapeError,
} from './utils/errors.js';
export { ShapeError } from '@strata/graph';

import { initBackend as chooseBackendOnImport } from './backend/select.js';
// Importing the runtime chooses its backend (tensorflow → wasm → cpu, or STRATA_BACKEND), so
// `await initBackend()` is optional; without it TF.js's first tensor would fail with
// "No backend found in registry".
await chooseBackendOnImport();
