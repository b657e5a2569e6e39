/**
 * Test support (not a test file): `.npy` files as tensors (parsed by @strata/graph's `parseNpy`)
 * and the location of the shared Keras 3 goldens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { parseNpy } from '@strata/graph';

/** `../shared/keras3-golden` beside the repository root. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/keras3-golden');
/** Whether the shared goldens are present (tests that need them skip visibly otherwise). */
export const HAVE_GOLDENS = existsSync(join(GOLDEN_DIR, 'manifest.json'));

/** Reads an `.npy` file into a tensor (bool arrays as bool tensors). */
export function readNpy(file: string): tf.Tensor {
  const array = parseNpy(readFileSync(file), file);
  if (array.dtype === 'bool')
    return tf.tensor(
      Array.from(array.data, (b) => b !== 0),
      array.shape,
      'bool',
    );
  return tf.tensor(array.data as Float32Array | Int32Array, array.shape, array.dtype);
}

/** Largest absolute difference of two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join())
    throw new Error(`shapes differ: [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(a, 'float32'), tf.cast(b, 'float32')))).dataSync()[0]!);
}
