/**
 * Batch renormalization (Ioffe 2017) for `BatchNormalization({renorm: true})`, as Keras 3:
 * training normalizes with the batch statistics corrected by `r = σ_batch / σ_renorm` and
 * `d = (μ_batch − μ_renorm) / σ_renorm` (clipped, no gradient), and tracks a moving stddev.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError } from '../../utils/errors.js';

/** Keras's `renorm_clipping` keys. */
export interface RenormClipping {
  rmax?: number;
  rmin?: number;
  dmax?: number;
}

/** Validates `renormClipping` as Keras does; `where` names the layer. */
export function checkRenormClipping(value: Record<string, number> | null | undefined, where: string): RenormClipping {
  const clipping = value ?? {};
  const unknown = Object.keys(clipping).filter((k) => !['rmax', 'rmin', 'dmax'].includes(k));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `${where}: invalid keys for \`renormClipping\`: ${unknown.join(', ')}; supported: rmax, rmin, dmax`,
    );
  }
  const { rmax, rmin, dmax } = clipping as RenormClipping;
  if (rmax !== undefined && rmin !== undefined && rmax < rmin) {
    throw new ConfigurationError(`${where}: \`renormClipping\` needs rmax >= rmin, got rmax=${rmax}, rmin=${rmin}`);
  }
  if (dmax !== undefined && dmax < 0)
    throw new ConfigurationError(`${where}: \`renormClipping\` needs dmax >= 0, got dmax=${dmax}`);
  return clipping as RenormClipping;
}

/** Identity whose gradient is zero (TF.js has no `stopGradient`). */
const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** The renorm weights of one layer and the training-time computation. */
export interface RenormVariables {
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
  movingStddev: tf.Variable;
  renormMean: tf.Variable;
  renormStddev: tf.Variable;
}

/**
 * Effective scale and offset for a training batch (`x * scale + offset` after normalizing with
 * the batch statistics becomes `(x̂ * r + d) * gamma + beta`), and the moving-statistics updates.
 */
export function renormTraining(
  vars: RenormVariables,
  batch: { mean: tf.Tensor; variance: tf.Tensor },
  params: {
    gamma: tf.Tensor | null;
    beta: tf.Tensor | null;
    epsilon: number;
    momentum: number;
    renormMomentum: number;
    clipping: RenormClipping;
  },
): { gamma: tf.Tensor; beta: tf.Tensor } {
  const { epsilon, momentum, renormMomentum, clipping } = params;
  const stddev = tf.sqrt(tf.add(batch.variance, epsilon));
  const renormStddev = tf.maximum(vars.renormStddev, Math.sqrt(epsilon));
  let r: tf.Tensor = tf.div(stddev, renormStddev);
  let d: tf.Tensor = tf.div(tf.sub(batch.mean, vars.renormMean), renormStddev);
  if (clipping.rmin !== undefined) r = tf.maximum(r, clipping.rmin);
  if (clipping.rmax !== undefined) r = tf.minimum(r, clipping.rmax);
  if (clipping.dmax !== undefined) d = tf.clipByValue(d, -clipping.dmax, clipping.dmax);
  r = stopGradient(r);
  d = stopGradient(d);
  const gamma = params.gamma === null ? r : tf.mul(r, params.gamma);
  let beta = params.gamma === null ? d : tf.mul(d, params.gamma);
  if (params.beta !== null) beta = tf.add(beta, params.beta);

  const blend = (old: tf.Tensor, value: tf.Tensor, keep: number): tf.Tensor =>
    tf.add(tf.mul(old, keep), tf.mul(value, 1 - keep));
  const newMovingStddev = blend(vars.movingStddev, stddev, momentum);
  vars.renormMean.assign(blend(vars.renormMean, batch.mean, renormMomentum));
  vars.renormStddev.assign(blend(vars.renormStddev, stddev, renormMomentum));
  vars.movingMean.assign(blend(vars.movingMean, batch.mean, momentum));
  vars.movingStddev.assign(newMovingStddev);
  // The variance is derived from the stddev; relu guards against rounding below zero.
  vars.movingVariance.assign(tf.relu(tf.sub(tf.square(newMovingStddev), epsilon)));
  return { gamma, beta };
}
