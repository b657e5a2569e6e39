/**
 * `@strata/lint`: an architecture linter for Keras-style models. Works on the
 * `@strata/graph` IR and never loads TensorFlow.js.
 *
 * @packageDocumentation
 */
export * from './types.js';
