/**
 * `textDatasetFromDirectory`: Keras's `keras.utils.text_dataset_from_directory` for Node.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkDatasetOptions,
  makeDirectoryDataset,
  type DirectoryDataset,
  type LabelMode,
} from './directory-dataset.js';
import { checkValidationSplit, indexDirectory, splitIndex, type DirectoryLabels } from './directory-index.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** Options shared by the directory datasets (Keras defaults in brackets). */
export interface DirectoryDatasetOptions {
  /** `inferred` from the class subfolders, null for none, or one integer per file in alphanumeric file order [`inferred`]. */
  labels?: DirectoryLabels;
  /** Label encoding [`int`]; null for no labels. */
  labelMode?: LabelMode;
  /** Class subfolders to use, in this label order (only with inferred labels) [all, sorted]. */
  classNames?: readonly string[] | null;
  /** Samples per batch; null for single samples [32]. */
  batchSize?: number | null;
  /** Shuffle the files (NumPy's RandomState(seed) shuffle, as Keras) [true]; false keeps alphanumeric order. */
  shuffle?: boolean;
  /** Seed of the shuffle (an integer in [0, 2³²)); required with `validationSplit` and `shuffle`. */
  seed?: number;
  /** Fraction of the files kept for validation: the last `floor(split * n)` after shuffling. */
  validationSplit?: number;
  /** Which part to return with `validationSplit`: `training`, `validation` or `both` ([training, validation]). */
  subset?: 'training' | 'validation' | 'both';
  /** Descend into linked folders [false]. */
  followLinks?: boolean;
}

/** Options of {@link textDatasetFromDirectory}. */
export interface TextDatasetOptions extends DirectoryDatasetOptions {
  /** Keep at most this many bytes of each file [all]. */
  maxLength?: number | null;
}

/** Resolves the shared options and indexes the folder; returns the splits asked for. */
export async function indexForDataset(
  directory: string,
  options: DirectoryDatasetOptions,
  formats: readonly string[],
  kind: string,
): Promise<{
  splits: { filePaths: string[]; labels: number[] | null }[];
  classNames: string[] | null;
  labelMode: LabelMode;
  batchSize: number | null;
}> {
  const labelsOption = options.labels === undefined ? 'inferred' : options.labels;
  let labelMode: LabelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  if (labelsOption === null || labelMode === null) labelMode = null;
  const labels = labelMode === null ? null : labelsOption;
  const shuffle = options.shuffle ?? true;
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize;
  if (labelsOption !== 'inferred' && options.classNames)
    throw new ConfigurationError('classNames can only be given when labels are "inferred"');
  checkValidationSplit(options.validationSplit, options.subset, shuffle, options.seed);
  const seed = options.seed ?? Math.floor(Math.random() * 1e6);
  const index = await indexDirectory(directory, {
    labels,
    formats,
    classNames: options.classNames ?? null,
    shuffle,
    seed,
    followLinks: options.followLinks ?? false,
  });
  checkDatasetOptions(labelMode, batchSize, index.classNames);
  const subsets =
    options.subset === 'both'
      ? (['training', 'validation'] as const)
      : ([options.subset === 'validation' ? 'validation' : 'training'] as const);
  const splits = subsets.map((subset) => {
    const filePaths = splitIndex(index.filePaths, options.validationSplit, subset);
    if (filePaths.length === 0) {
      const which = options.validationSplit ? `${subset} ` : '';
      throw new DataError(
        `No ${which}${kind} files found in directory ${directory}. Allowed formats: ${formats.join(', ')}`,
      );
    }
    return {
      filePaths,
      labels: index.labels === null ? null : splitIndex(index.labels, options.validationSplit, subset),
    };
  });
  return { splits, classNames: index.classNames, labelMode, batchSize };
}

/**
 * Reads a folder of text files (`.txt`) into a dataset of strings, as Keras's
 * `text_dataset_from_directory`: with inferred labels, `directory/<class>/…/*.txt`, classes in
 * alphanumeric order. Samples `x` are a string tensor `[batch]`; labels follow `labelMode`.
 * Files are listed and split as Keras does (same seed, same files in each subset).
 *
 * @returns one dataset, or `[training, validation]` with `subset: 'both'`
 */
export async function textDatasetFromDirectory(
  directory: string,
  options: TextDatasetOptions & { subset: 'both' },
): Promise<[DirectoryDataset, DirectoryDataset]>;
export async function textDatasetFromDirectory(
  directory: string,
  options?: TextDatasetOptions,
): Promise<DirectoryDataset>;
export async function textDatasetFromDirectory(
  directory: string,
  options: TextDatasetOptions = {},
): Promise<DirectoryDataset | [DirectoryDataset, DirectoryDataset]> {
  const maxLength = options.maxLength ?? null;
  if (maxLength !== null && !(Number.isInteger(maxLength) && maxLength >= 0))
    throw new ConfigurationError(`maxLength must be a non-negative integer or null, got ${maxLength}`);
  const { splits, classNames, labelMode, batchSize } = await indexForDataset(directory, options, ['.txt'], 'text');
  const decoder = new TextDecoder();
  const load = async (paths: readonly string[]): Promise<tf.Tensor> => {
    const texts = await Promise.all(
      paths.map(async (path) => {
        const bytes = await readFile(path);
        return decoder.decode(maxLength === null ? bytes : bytes.subarray(0, maxLength));
      }),
    );
    return tf.tensor1d(texts, 'string');
  };
  const datasets = splits.map((split) => makeDirectoryDataset({ ...split, classNames, labelMode, batchSize, load }));
  return options.subset === 'both' ? [datasets[0]!, datasets[1]!] : datasets[0]!;
}
