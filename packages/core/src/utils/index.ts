/**
 * Keras's `keras.utils` helpers: one-hot labels, padded sequences, plots of models and histories,
 * normalization and dataset splits.
 *
 * @packageDocumentation
 */
export { toCategorical, normalize } from './numerical-utils.js';
export { padSequences, type PadSequencesOptions } from './sequence-utils.js';
export { splitDataset, type SplitDatasetOptions } from './dataset-utils.js';
export { plotModel, plotHistory, type ModelPlotOptions, type HistoryPlotOptions, type HistoryData } from './plot.js';
