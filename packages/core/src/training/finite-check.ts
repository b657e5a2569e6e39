/**
 * Refusing NaN and ±Infinity in training data before the step that would spread them into
 * every weight. One check per batch, on the batch slices the step reads anyway: `sum(x - x)` is
 * 0 for finite data and NaN otherwise, so all arrays of a batch cost one small read-back.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../utils/errors.js';

/** Indices of the float arrays in `arrays` that hold NaN or ±Infinity. */
export function nonFiniteArrays(arrays: readonly tf.Tensor[]): number[] {
  const floats = arrays.flatMap((t, i) => (t.dtype === 'float32' ? [i] : []));
  if (floats.length === 0) return [];
  const sums = tf.tidy(() => tf.stack(floats.map((i) => tf.sum(tf.sub(arrays[i]!, arrays[i]!)))));
  const values = sums.dataSync();
  sums.dispose();
  return floats.filter((_, k) => values[k] !== 0);
}

/** Where the first non-finite value of `t` is: its kind and its sample (row) in the batch. */
function firstNonFinite(t: tf.Tensor): { kind: string; sample: number } {
  const values = t.dataSync();
  const rowSize = t.shape[0] ? values.length / t.shape[0] : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      return { kind: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity', sample: Math.floor(i / rowSize) };
  }
  return { kind: 'NaN', sample: 0 };
}

/**
 * Throws when a batch holds NaN or ±Infinity, naming the batch (`where`), the array (`labels`,
 * one per array: `input "x"`, `target for output "y"`, `sample weight`) and the first sample.
 */
export function assertFiniteBatch(arrays: readonly tf.Tensor[], labels: readonly string[], where: string): void {
  const bad = nonFiniteArrays(arrays);
  if (bad.length === 0) return;
  const index = bad[0]!;
  const { kind, sample } = firstNonFinite(arrays[index]!);
  throw new DataError(
    `${where}: ${labels[index] ?? `array ${index}`} holds ${kind} (sample ${sample} of the batch). ` +
      'NaN or Infinity in training data would turn every weight into NaN; clean or impute the data first.',
  );
}
