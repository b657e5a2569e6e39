/**
 * Keras's `keras.utils.split_dataset` for in-memory arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isShapedArray, toTensor, type ArrayLikeData } from './convert.js';
import { mulberry32, randomFloat } from '../utils/random-seed.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** Options of {@link splitDataset}. */
export interface SplitDatasetOptions {
  /**
   * Size of the left split: a fraction in (0, 1) or a sample count (an integer ≥ 1).
   * Default: what `rightSize` leaves.
   */
  leftSize?: number;
  /** Size of the right split, like `leftSize`. Default: what `leftSize` leaves. */
  rightSize?: number;
  /** Shuffle the samples before splitting (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle; default the process's seeded stream (see `setRandomSeed`). */
  seed?: number;
}

/** Python's `round` (half to even), which Keras uses to turn fractions into counts. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function sizeFrom(name: string, size: number | undefined, total: number): number | undefined {
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || Number.isNaN(size))
    throw new ConfigurationError(`splitDataset: ${name} must be a number, got ${String(size)}`);
  if (Number.isInteger(size)) {
    if (size <= 0 || size >= total) {
      throw new ConfigurationError(
        `splitDataset: ${name} should be either a positive integer smaller than ${total}, or a fraction in (0, 1). Received: ${name}=${size}`,
      );
    }
    return size;
  }
  if (size <= 0 || size >= 1) {
    throw new ConfigurationError(
      `splitDataset: ${name} should be either a positive integer smaller than ${total}, or a fraction in (0, 1). Received: ${name}=${size}`,
    );
  }
  return roundHalfEven(size * total);
}

/** The split sizes, with Keras's rules and messages (`_rescale_dataset_split_sizes`). */
export function splitSizes(
  total: number,
  leftSize: number | undefined,
  rightSize: number | undefined,
): [number, number] {
  if (leftSize === undefined && rightSize === undefined) {
    throw new ConfigurationError('splitDataset: at least one of leftSize or rightSize must be given');
  }
  if (!Number.isInteger(leftSize ?? 0.5) && !Number.isInteger(rightSize ?? 0.5) && leftSize! + rightSize! > 1) {
    throw new ConfigurationError(
      'splitDataset: the sum of leftSize and rightSize is greater than 1. It must be less than or equal to 1.',
    );
  }
  let left = sizeFrom('leftSize', leftSize, total);
  let right = sizeFrom('rightSize', rightSize, total);
  left ??= total - right!;
  right ??= total - left;
  if (left + right > total) {
    throw new ConfigurationError(
      `splitDataset: leftSize + rightSize (${left} + ${right}) is larger than the dataset (${total} samples)`,
    );
  }
  for (const [split, side] of [
    [left, 'left'],
    [right, 'right'],
  ] as const) {
    if (split === 0) {
      throw new ConfigurationError(
        `splitDataset: with ${total} samples, leftSize=${left} and rightSize=${right} leave the ${side} split empty`,
      );
    }
  }
  return [left, right];
}

/** A shuffled `[0, n)` (Fisher–Yates) from a seeded mulberry32 stream, or the process's stream. */
function shuffledIndices(n: number, seed: number | undefined): Int32Array {
  const next = seed === undefined ? randomFloat : mulberry32(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function isOneArray(value: unknown): boolean {
  return value instanceof tf.Tensor || isShapedArray(value) || ArrayBuffer.isView(value);
}

/**
 * Splits arrays of samples into a left and a right part (e.g. train / test), as Keras's
 * `split_dataset`: the left part is the first `leftSize` samples, the right part the last
 * `rightSize`; sizes are fractions or counts. A list of arrays (features and labels) is split
 * alike and gives lists back. Shuffling is seeded but its order is Strata's, not Python's.
 *
 * @param dataset - one array of samples, or a list of arrays with the same number of samples
 * @returns `[left, right]`, each a tensor or a list of tensors (new tensors: dispose them)
 *
 * @example
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = utils.splitDataset([x, y], { leftSize: 0.8 });
 * ```
 */
export function splitDataset(dataset: ArrayLikeData, options: SplitDatasetOptions): [tf.Tensor, tf.Tensor];
export function splitDataset(dataset: ArrayLikeData[], options: SplitDatasetOptions): [tf.Tensor[], tf.Tensor[]];
export function splitDataset(
  dataset: ArrayLikeData | ArrayLikeData[],
  options: SplitDatasetOptions,
): [tf.Tensor, tf.Tensor] | [tf.Tensor[], tf.Tensor[]] {
  const isList = Array.isArray(dataset) && dataset.length > 0 && dataset.every(isOneArray);
  const parts = (isList ? dataset : [dataset]) as ArrayLikeData[];
  const converted = parts.map((part, i) =>
    toTensor(part, isList ? `splitDataset: dataset[${i}]` : 'splitDataset: dataset'),
  );
  try {
    const total = converted[0]!.tensor.shape[0]!;
    converted.forEach(({ tensor }, i) => {
      if (tensor.shape[0] !== total) {
        throw new DataError(
          `splitDataset: every array must have the same number of samples; dataset[0] has ${total}, dataset[${i}] has ${tensor.shape[0]}`,
        );
      }
    });
    const [left, right] = splitSizes(total, options.leftSize, options.rightSize);
    const order =
      options.shuffle === true ? shuffledIndices(total, options.seed) : Int32Array.from({ length: total }, (_, i) => i);
    const take = (indices: Int32Array): tf.Tensor[] =>
      converted.map(({ tensor }) => tf.tidy(() => tf.gather(tensor, tf.tensor1d(indices, 'int32'))));
    const leftParts = take(order.slice(0, left));
    const rightParts = take(order.slice(total - right));
    return isList ? [leftParts, rightParts] : [leftParts[0]!, rightParts[0]!];
  } finally {
    converted.forEach(({ tensor, created }) => created && tensor.dispose());
  }
}
