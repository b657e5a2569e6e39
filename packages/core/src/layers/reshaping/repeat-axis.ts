/**
 * Repeating each element along one axis (`np.repeat`), built from expandDims + tile +
 * reshape so it has gradients on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Repeats every entry of `x` along `axis` `times` times: `[a, b]` → `[a, a, b, b]` for 2. */
export function repeatAlongAxis(x: tf.Tensor, axis: number, times: number): tf.Tensor {
  if (times === 1) return x.clone();
  return tf.tidy(() => {
    const expanded = tf.expandDims(x, axis + 1);
    const reps = new Array<number>(expanded.rank).fill(1);
    reps[axis + 1] = times;
    const shape = [...x.shape];
    shape[axis] = shape[axis]! * times;
    return tf.reshape(tf.tile(expanded, reps), shape);
  });
}
