/**
 * Repeating each element along one axis (`np.repeat`) and bilinear (half-pixel) upsampling
 * along one axis, built from reshape / tile / matMul so they have correct gradients on every
 * backend (TF.js's Tile gradient stops at rank 4, and its ResizeBilinear gradient ignores
 * half-pixel centers).
 */
import * as tf from '@tensorflow/tfjs-core';

/** `x` viewed as `[before, size, after]` around `axis`. */
function around(x: tf.Tensor, axis: number): [number, number, number] {
  const before = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const after = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [before, x.shape[axis]!, after];
}

/** Repeats every entry of `x` along `axis` `times` times: `[a, b]` → `[a, a, b, b]` for 2. */
export function repeatAlongAxis(x: tf.Tensor, axis: number, times: number): tf.Tensor {
  if (times === 1) return x.clone();
  return tf.tidy(() => {
    const [before, size, after] = around(x, axis);
    const tiled = tf.tile(tf.reshape(x, [before, size, 1, after]), [1, 1, times, 1]);
    const shape = [...x.shape];
    shape[axis] = size * times;
    return tf.reshape(tiled, shape);
  });
}

/**
 * The `[size * scale, size]` matrix of bilinear interpolation with half-pixel centers (as
 * Keras's / TF's image resize): output `o` samples input coordinate `(o + 0.5) / scale - 0.5`,
 * clamped to the edges.
 */
export function bilinearMatrix(size: number, scale: number): tf.Tensor2D {
  const out = size * scale;
  const weights = new Float32Array(out * size);
  for (let o = 0; o < out; o++) {
    const source = Math.min(Math.max((o + 0.5) / scale - 0.5, 0), size - 1);
    const low = Math.floor(source);
    const high = Math.min(low + 1, size - 1);
    const frac = source - low;
    weights[o * size + low]! += 1 - frac;
    weights[o * size + high]! += frac;
  }
  return tf.tensor2d(weights, [out, size]);
}

/** Bilinear upsampling of `x` along `axis` by an integer `scale` (half-pixel centers). */
export function bilinearAlongAxis(x: tf.Tensor, axis: number, scale: number): tf.Tensor {
  if (scale === 1) return x.clone();
  return tf.tidy(() => {
    const [before, size, after] = around(x, axis);
    // [before, size, after] → [size, before * after], interpolate, and back.
    const moved = tf.reshape(tf.transpose(tf.reshape(x, [before, size, after]), [1, 0, 2]), [size, before * after]);
    const resized = tf.matMul(bilinearMatrix(size, scale), moved);
    const back = tf.transpose(tf.reshape(resized, [size * scale, before, after]), [1, 0, 2]);
    const shape = [...x.shape];
    shape[axis] = size * scale;
    return tf.reshape(back, shape);
  });
}
