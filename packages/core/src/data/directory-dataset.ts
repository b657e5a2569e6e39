/**
 * What `textDatasetFromDirectory` and `imageDatasetFromDirectory` return: the indexed files with
 * their labels, read lazily in batches (an async iterable of `{x, y}` tensors), or all at once
 * as tensors for `model.fit(x, y)`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** How labels are encoded: `int` (int32 `[n]`), `categorical` (one-hot float32 `[n, classes]`), `binary` (float32 `[n, 1]`), or none. */
export type LabelMode = 'int' | 'categorical' | 'binary' | null;

/** One batch: the samples and, when the dataset has labels, their encoded labels. The caller disposes both. */
export interface DatasetBatch {
  x: tf.Tensor;
  y?: tf.Tensor;
}

/**
 * A dataset read from a folder: files in Keras's order, labelled, read batch by batch.
 * Iterate it (`for await (const { x, y } of ds)`, disposing each batch) or take everything at
 * once with `toTensors()` for `model.fit(x, y, { batchSize })`.
 */
export interface DirectoryDataset extends AsyncIterable<DatasetBatch> {
  /** Class names in label order (the subfolder names), or null without labels. */
  readonly classNames: string[] | null;
  /** The files, in dataset order. */
  readonly filePaths: readonly string[];
  /** The integer label of each file, or null without labels. */
  readonly labels: readonly number[] | null;
  /** Samples per batch; null yields one sample at a time, without a batch axis. */
  readonly batchSize: number | null;
  /** Number of batches (samples when `batchSize` is null). */
  readonly length: number;
  /** Every sample as one tensor `x` (and the labels `y`); the caller disposes them. */
  toTensors(): Promise<DatasetBatch>;
}

/** Encodes integer labels for a label mode. */
export function encodeLabels(labels: readonly number[], mode: Exclude<LabelMode, null>, numClasses: number): tf.Tensor {
  const ids = Int32Array.from(labels);
  if (mode === 'int') return tf.tensor1d(ids, 'int32');
  if (mode === 'binary') return tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), numClasses), 'float32'));
}

/** Builds a {@link DirectoryDataset} from files, labels and a function that loads samples. */
export function makeDirectoryDataset(options: {
  filePaths: string[];
  labels: number[] | null;
  classNames: string[] | null;
  labelMode: LabelMode;
  batchSize: number | null;
  /** Loads the samples of some files as one tensor with a leading batch axis. */
  load: (paths: readonly string[]) => Promise<tf.Tensor>;
}): DirectoryDataset {
  const { filePaths, labels, classNames, labelMode, batchSize, load } = options;
  const numClasses = classNames?.length ?? 0;
  const take = async (start: number, end: number): Promise<DatasetBatch> => {
    const x = await load(filePaths.slice(start, end));
    if (labels === null || labelMode === null) return { x };
    return { x, y: encodeLabels(labels.slice(start, end), labelMode, numClasses) };
  };
  const step = batchSize ?? 1;
  return {
    classNames,
    filePaths,
    labels: labelMode === null ? null : labels,
    batchSize,
    length: Math.ceil(filePaths.length / step),
    toTensors: () => take(0, filePaths.length),
    async *[Symbol.asyncIterator](): AsyncGenerator<DatasetBatch> {
      for (let start = 0; start < filePaths.length; start += step) {
        const batch = await take(start, Math.min(start + step, filePaths.length));
        if (batchSize !== null) {
          yield batch;
          continue;
        }
        // Unbatched, as Keras with batch_size=None: one sample without the batch axis.
        const x = tf.squeeze(batch.x, [0]);
        const y = batch.y === undefined ? undefined : tf.squeeze(batch.y, [0]);
        tf.dispose([batch.x, batch.y].filter((t): t is tf.Tensor => t !== undefined));
        yield y === undefined ? { x } : { x, y };
      }
    },
  };
}

/** Checks `labelMode` / `batchSize` and the binary two-class rule, as Keras. */
export function checkDatasetOptions(labelMode: LabelMode, batchSize: number | null, classNames: string[] | null): void {
  if (!['int', 'categorical', 'binary', null].includes(labelMode)) {
    throw new ConfigurationError(
      `labelMode must be "int", "categorical", "binary" or null, got ${JSON.stringify(labelMode)}`,
    );
  }
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0))
    throw new ConfigurationError(`batchSize must be a positive integer or null, got ${batchSize}`);
  if (labelMode === 'binary' && classNames !== null && classNames.length !== 2) {
    throw new DataError(
      `labelMode "binary" needs exactly 2 classes, got ${classNames.length}: ${JSON.stringify(classNames)}`,
    );
  }
}
