/**
 * Keras's `keras.utils` helpers for preparing data: one-hot labels, padded sequences,
 * normalization and dataset splits.
 *
 * @packageDocumentation
 */
export { toCategorical, normalize } from './numerical-utils.js';
export { padSequences, type PadSequencesOptions } from './sequence-utils.js';
export { splitDataset, type SplitDatasetOptions } from './dataset-utils.js';
