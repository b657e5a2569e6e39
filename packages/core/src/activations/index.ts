/**
 * Keras activation functions by name (`keras.activations`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownValue } from '@strata/graph';
import { ConfigurationError } from '../utils/errors.js';

/** An activation function on tensors. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/** Softmax over the last axis, as `keras.activations.softmax` (axis -1). */
function softmax(x: tf.Tensor): tf.Tensor {
  return tf.softmax(x, -1);
}

/**
 * `hard_sigmoid_legacy`: clip(0.2·x + 0.5, 0, 1), the `hard_sigmoid` of Keras 1/2 and TF.js.
 * Keras 3 redefined `hard_sigmoid` as relu6(x + 3) / 6, so a model written by Keras < 3 or TF.js
 * (LSTM/GRU from Keras ≤ 2.2 and TF.js use it as `recurrent_activation`) loads with this name in
 * place of `hard_sigmoid`, computing what it computed when written; the name is saved as is.
 */
export function hardSigmoidLegacy(x: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
}

function hardSilu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6));
}

const linear: ActivationFn = (x) => x;

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softmax,
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  elu: (x) => tf.elu(x),
  // tf.selu has a gradient (a where() over a comparison does not) and Keras's constants.
  selu: (x) => tf.selu(x),
  exponential: (x) => tf.exp(x),
  // Keras 3: hard_sigmoid(x) = relu6(x + 3) / 6.
  hard_sigmoid: (x) => tf.div(tf.relu6(tf.add(x, 3)), 6),
  // Keras 2 / TF.js: clip(0.2x + 0.5, 0, 1); given to files written by them (see hardSigmoidLegacy).
  hard_sigmoid_legacy: hardSigmoidLegacy,
  // Keras 3.0.5+: hard_silu(x) = x · relu6(x + 3) / 6, also named hard_swish.
  hard_silu: hardSilu,
  hard_swish: hardSilu,
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  // Keras 3 default gelu uses the tanh approximation (approximate=True).
  gelu: (x) =>
    tf.mul(
      tf.mul(0.5, x),
      tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
    ),
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  log_softmax: (x) => tf.logSoftmax(x, -1),
  leaky_relu: (x) => tf.leakyRelu(x, 0.2),
};

/** Names accepted by {@link getActivation}. */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(ACTIVATIONS);

/** An activation given by Keras name (`"relu"`), `null`/`undefined` (linear) or as a function. */
export type ActivationIdentifier = string | ActivationFn | null | undefined;

/**
 * Resolves an activation by its Keras name. Unknown names are an error listing the valid ones.
 * Besides Keras 3's names, `hard_sigmoid_legacy` is Keras 2's / TF.js's `hard_sigmoid`
 * ({@link hardSigmoidLegacy}).
 */
export function getActivation(identifier: ActivationIdentifier): ActivationFn {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'function') return identifier;
  const fn = ownValue(ACTIVATIONS, identifier);
  if (fn === undefined) {
    throw new ConfigurationError(`Unknown activation "${identifier}"; valid choices: ${ACTIVATION_NAMES.join(', ')}`);
  }
  return fn;
}

/** The Keras name of an activation, for `getConfig`; custom functions serialize by their JS name. */
export function serializeActivation(identifier: ActivationIdentifier): string {
  if (identifier === null || identifier === undefined) return 'linear';
  if (typeof identifier === 'string') return identifier;
  const known = Object.entries(ACTIVATIONS).find(([, fn]) => fn === identifier);
  return known ? known[0] : identifier.name || 'custom';
}
