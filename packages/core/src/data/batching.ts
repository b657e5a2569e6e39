/**
 * Splitting and batching arrays of samples: validation split (the LAST fraction, taken before
 * shuffling, as Keras), per-epoch shuffling by one gather per array, and batches by slicing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { randomFloat } from '../utils/random-seed.js';
import { ConfigurationError } from '../utils/errors.js';

/** Rows `[start, end)` of each tensor. */
export function sliceRows(tensors: tf.Tensor[], start: number, end: number): tf.Tensor[] {
  return tensors.map((t) => tf.slice(t, [start], [end - start]));
}

/**
 * Splits arrays into training and validation parts: the last `fraction` of samples
 * (`floor(n * (1 - fraction))` is the split point, as Keras) goes to validation.
 */
export function splitLast(tensors: tf.Tensor[], fraction: number): { train: tf.Tensor[]; validation: tf.Tensor[] } {
  if (!(fraction > 0 && fraction < 1))
    throw new ConfigurationError(`validationSplit must be in (0, 1), got ${fraction}`);
  const n = tensors[0]!.shape[0]!;
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) {
    throw new ConfigurationError(
      `validationSplit=${fraction} leaves ${at === 0 ? 'no training' : 'no validation'} samples out of ${n}`,
    );
  }
  return { train: sliceRows(tensors, 0, at), validation: sliceRows(tensors, at, n) };
}

/** A random permutation of `0..n-1` (Fisher–Yates on the Strata random stream, see `setRandomSeed`). */
export function permutation(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(randomFloat() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  return idx;
}

/** `tf.gather` refuses string tensors (StringLookup / TextVectorization inputs): their rows are permuted in JS. */
function gatherStringRows(tensor: tf.Tensor, order: Int32Array): tf.Tensor {
  const rows = tensor.arraySync() as unknown[];
  return tf.tensor(Array.from(order, (i) => rows[i]) as string[], tensor.shape, 'string');
}

/** The arrays of one epoch: shuffled by a single gather each when asked, else the arrays themselves. */
export class EpochData {
  readonly arrays: tf.Tensor[];
  private readonly owned: boolean;

  constructor(arrays: tf.Tensor[], shuffle: boolean) {
    if (shuffle) {
      const order = permutation(arrays[0]!.shape[0]!);
      const perm = tf.tensor1d(order, 'int32');
      this.arrays = arrays.map((a) => (a.dtype === 'string' ? gatherStringRows(a, order) : tf.gather(a, perm)));
      perm.dispose();
      this.owned = true;
    } else {
      this.arrays = arrays;
      this.owned = false;
    }
  }

  /** Number of samples. */
  get size(): number {
    return this.arrays[0]!.shape[0]!;
  }

  /** Rows of batch `index` (the last batch may be smaller); the caller disposes them. */
  batch(index: number, batchSize: number): tf.Tensor[] {
    const start = index * batchSize;
    return sliceRows(this.arrays, start, Math.min(start + batchSize, this.size));
  }

  /** Frees the shuffled copies. */
  dispose(): void {
    if (this.owned) for (const a of this.arrays) a.dispose();
  }
}

/** Per-sample weights from a class-weight map (targets one-hot → arg-max, `[n, 1]` → squeezed, rounded). */
export function classWeightsToSampleWeights(y: tf.Tensor, classWeight: Record<number, number>): tf.Tensor1D {
  for (const key of Object.keys(classWeight)) {
    if (!Number.isInteger(Number(key)))
      throw new ConfigurationError(`classWeight keys must be integer class indices, got "${key}"`);
  }
  const classes = tf.tidy(() => {
    let labels: tf.Tensor = y;
    if (y.rank > 1) labels = y.shape[y.rank - 1] !== 1 ? tf.argMax(y, -1) : tf.reshape(y, [y.shape[0]!]);
    return tf.round(tf.cast(labels, 'float32'));
  });
  const values = classes.dataSync();
  classes.dispose();
  const weights = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) weights[i] = classWeight[values[i]!] ?? 1;
  return tf.tensor1d(weights);
}
