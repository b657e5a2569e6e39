/**
 * Test support (not a test file): a tiny reader of NumPy `.npy` files (format 1.0/2.0,
 * little-endian float32 / int32, C order), enough for the Keras golden inputs and outputs,
 * and the location of the shared Keras 3 goldens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

/** `../shared/keras3-golden` beside the repository root. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/keras3-golden');
/** Whether the shared goldens are present (tests that need them skip visibly otherwise). */
export const HAVE_GOLDENS = existsSync(join(GOLDEN_DIR, 'manifest.json'));

/** Reads an `.npy` file into a tensor. */
export function readNpy(file: string): tf.Tensor {
  const bytes = readFileSync(file);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const order = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || order !== 'False' || shapeText === undefined) throw new Error(`${file}: unsupported header ${header}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const body = bytes.subarray(start);
  const copy = new ArrayBuffer(body.length);
  new Uint8Array(copy).set(body);
  if (descr === '<f4') return tf.tensor(new Float32Array(copy), shape, 'float32');
  if (descr === '<i4') return tf.tensor(new Int32Array(copy), shape, 'int32');
  if (descr === '|b1') return tf.tensor(Array.from(new Uint8Array(copy), (b) => b !== 0), shape, 'bool');
  throw new Error(`${file}: unsupported dtype ${descr} (float32, int32 and bool are read)`);
}

/** Largest absolute difference of two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(a, 'float32'), tf.cast(b, 'float32')))).dataSync()[0]!);
}
