/**
 * Keras's `keras.utils` helpers: one-hot labels, padded sequences, normalization and dataset
 * splits (the plots are in `visualization/`; `utils-namespace.ts` joins them as `utils`).
 *
 * @packageDocumentation
 */
export { toCategorical, normalize } from './numerical-utils.js';
export { padSequences, type PadSequencesOptions } from './sequence-utils.js';
export { splitDataset, type SplitDatasetOptions } from './dataset-utils.js';
