/**
 * Keras's `keras.utils` helpers for preparing data: one-hot labels, padded sequences,
 * normalization, dataset splits, and datasets read from folders of text files or images (the plots
 * are in `visualization/`; `utils-namespace.ts` joins them as `utils`).
 *
 * @packageDocumentation
 */
export { toCategorical, normalize } from './numerical-utils.js';
export { padSequences, type PadSequencesOptions } from './sequence-utils.js';
export { splitDataset, type SplitDatasetOptions } from './dataset-utils.js';
export { textDatasetFromDirectory, type TextDatasetOptions, type DirectoryDatasetOptions } from './text-dataset.js';
export { imageDatasetFromDirectory, type ImageDatasetOptions } from './image-dataset.js';
export type { DirectoryDataset, DatasetBatch, LabelMode } from './directory-dataset.js';
export type { DirectoryLabels } from './directory-index.js';
export type { ColorMode } from './image-decode.js';
export { numpyShuffle } from './numpy-random.js';
