/**
 * Inverted dropout shared by the dropout family: keep each unit with probability
 * `1 - rate`, scale kept units by `1 / (1 - rate)`, and share one draw across the
 * axes where the noise shape is 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputShapeError } from '../../utils/errors.js';
import { fillUniform } from '../../utils/uniform-stream.js';

/** A noise shape as Keras takes it: `null` entries are filled from the input. */
export type NoiseShape = readonly (number | null)[] | null;

/** The concrete noise shape for an input: `null` entries take the input's size. */
export function concreteNoiseShape(input: tf.Tensor, noiseShape: NoiseShape): number[] {
  if (noiseShape === null) return input.shape;
  if (noiseShape.length !== input.rank) {
    throw new InputShapeError(
      `noise_shape [${noiseShape.map(String).join(', ')}] has rank ${noiseShape.length}, but the input has shape [${input.shape.join(', ')}]`,
    );
  }
  return noiseShape.map((d, i) => (d === null ? input.shape[i]! : d));
}

/**
 * Applies inverted dropout with a mask of `noiseShape` broadcast over the input.
 * `rate = 1` gives zeros and `rate = 0` returns the input, as Keras's backend.
 */
export function dropoutNoise(input: tf.Tensor, rate: number, noiseShape: number[], seed: number): tf.Tensor {
  if (rate >= 1) return tf.zerosLike(input);
  if (rate <= 0) return input;
  if (input.dtype === 'float32') return tf.tidy(() => tf.mul(input, scaledKeepMask(rate, noiseShape, seed)));
  return tf.tidy(() => {
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(noiseShape, 0, 1, 'float32', seed), rate), input.dtype);
    return tf.mul(input, tf.div(keep, 1 - rate));
  });
}

/**
 * The float32 mask `cast(randomUniform(noiseShape, 0, 1, 'float32', seed) ≥ rate) / (1 − rate)`,
 * value for value, built in one pass over the same uniform stream (uniform-stream.ts): the
 * comparison and the division round to float32 as the kernels do.
 */
function scaledKeepMask(rate: number, noiseShape: number[], seed: number): tf.Tensor {
  const values = new Float32Array(tf.util.sizeFromShape(noiseShape));
  // Float32 division of 1 by float32(1 − rate); rounding the double quotient gives the same float.
  fillUniform(values, seed, { threshold: Math.fround(rate), scale: Math.fround(1 / Math.fround(1 - rate)) });
  return tf.tensor(values, noiseShape, 'float32');
}
