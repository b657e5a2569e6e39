/**
 * Keras's `keras.utils.pad_sequences`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** Options of {@link padSequences} (Keras's keyword arguments, camelCase). */
export interface PadSequencesOptions {
  /** Length of every output sequence; default the longest input sequence. */
  maxlen?: number;
  /** Output dtype (default `int32`, as Keras). */
  dtype?: 'int32' | 'float32';
  /** Pad before (`pre`, the default) or after (`post`) each sequence. */
  padding?: 'pre' | 'post';
  /** Drop values from the start (`pre`, the default) or the end (`post`) of longer sequences. */
  truncating?: 'pre' | 'post';
  /** Padding value (default 0). */
  value?: number;
}

const SIDES = ['pre', 'post'] as const;

function checkSide(name: 'padding' | 'truncating', side: string | undefined): 'pre' | 'post' {
  const chosen = side ?? 'pre';
  if (!(SIDES as readonly string[]).includes(chosen)) {
    throw new ConfigurationError(
      `padSequences: ${name} "${chosen}" not understood; valid choices: ${SIDES.join(', ')}`,
    );
  }
  return chosen as 'pre' | 'post';
}

/**
 * Pads (and truncates) sequences of numbers to one length, giving a `[n, maxlen]` tensor,
 * exactly as Keras's `pad_sequences`: by default padding and truncation happen at the start.
 *
 * @param sequences - a list of number sequences (of any lengths, empty ones included)
 * @returns a new tensor of shape `[sequences.length, maxlen]`
 *
 * @example
 * ```ts
 * utils.padSequences([[1], [2, 3], [4, 5, 6]], { maxlen: 2 }); // [[0, 1], [2, 3], [5, 6]]
 * ```
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadSequencesOptions = {}): tf.Tensor2D {
  if (!Array.isArray(sequences))
    throw new DataError(`padSequences: sequences must be a list of sequences, got ${typeof sequences}`);
  const padding = checkSide('padding', options.padding);
  const truncating = checkSide('truncating', options.truncating);
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new ConfigurationError(
      `padSequences: dtype "${String(dtype)}" is not supported; valid choices: int32, float32`,
    );
  }
  sequences.forEach((sequence, i) => {
    if (sequence === null || typeof sequence !== 'object' || typeof sequence.length !== 'number') {
      throw new DataError(
        `padSequences: sequences must be a list of sequences; found a non-sequence at position ${i}: ${String(sequence)}`,
      );
    }
  });
  const maxlen = options.maxlen ?? sequences.reduce((longest, s) => Math.max(longest, s.length), 0);
  if (!Number.isInteger(maxlen) || maxlen < 0)
    throw new ConfigurationError(`padSequences: maxlen must be a non-negative integer, got ${maxlen}`);
  const out =
    dtype === 'int32' ? new Int32Array(sequences.length * maxlen) : new Float32Array(sequences.length * maxlen);
  out.fill(options.value ?? 0);
  sequences.forEach((sequence, row) => {
    const values: number[] = Array.from(sequence as ArrayLike<number>);
    const kept = truncating === 'pre' ? values.slice(Math.max(0, values.length - maxlen)) : values.slice(0, maxlen);
    if (kept.length === 0) return;
    const start = row * maxlen + (padding === 'post' ? 0 : maxlen - kept.length);
    out.set(kept, start);
  });
  return tf.tensor2d(out, [sequences.length, maxlen], dtype);
}
