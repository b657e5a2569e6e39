/**
 * Gradients for custom training steps, in the shape of TensorFlow's `tf.GradientTape` as Keras
 * users write it, on TF.js's `tf.variableGrads`. TF.js differentiates a FUNCTION (it records
 * while the function runs), so the forward pass goes into `tape.record(() => …)` instead of a
 * `with` block; `tape.gradient(loss, variables)` then returns the gradients of that loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { collectLosses, lossesSoFar } from '../utils/losses-collector.js';
// Type-only: training sits below the engine (the engine's Model imports it).
import type { LayerVariable } from '../engine/variable.js';
import { ConfigurationError } from '../utils/errors.js';

/** Variables to differentiate with respect to: layer weights (`model.trainableWeights`) or TF.js variables. */
export type GradientSources = readonly (LayerVariable | tf.Variable)[];

/** What `record` may return: the loss, or the loss with other tensors to keep (`{ loss, ...others }`). */
export type Recorded = tf.Scalar | ({ loss: tf.Scalar } & Record<string, tf.Tensor>);

function toVariable(source: LayerVariable | tf.Variable, where: string): tf.Variable {
  if (source instanceof tf.Variable) return source;
  // A layer weight (LayerVariable) holds its tf.Variable as `value`.
  const value: unknown = (source as Partial<LayerVariable> | null)?.value;
  if (value instanceof tf.Variable) return value;
  throw new ConfigurationError(`${where}: expected layer weights or tf.Variables, got ${String(source)}`);
}

/** Gradients by variable name, as `tf.variableGrads` returns them. */
function differentiate(
  fn: () => tf.Scalar,
  variables: tf.Variable[] | undefined,
  where: string,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(fn, variables);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`${where}: ${message}`);
  }
}

/**
 * The loss and its gradients for `variables` in one pass: `grads[i]` is the gradient for
 * `variables[i]`, `null` where the loss does not depend on it. The caller disposes `value` and `grads`.
 */
export function computeGradients(
  fn: () => tf.Scalar,
  variables: GradientSources,
): { value: tf.Scalar; grads: (tf.Tensor | null)[] } {
  const vars = variables.map((v) => toVariable(v, 'computeGradients'));
  const { value, grads } = differentiate(fn, vars, 'computeGradients');
  return { value, grads: vars.map((v) => grads[v.name] ?? null) };
}

/**
 * Records a forward pass and gives the gradients of its loss, like TensorFlow's `tf.GradientTape`.
 * A tape records once; `dispose()` frees the recorded loss, the tensors kept with it and the gradients.
 *
 * @example
 * ```ts
 * const tape = new GradientTape();
 * try {
 *   const { loss, kl } = tape.record(() => {
 *     const kl = …;                       // tensors returned here outlive the recording
 *     return { loss: tf.add(reconstruction, kl), kl };
 *   });
 *   optimizer.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
 *   klTracker.updateState(kl);
 * } finally {
 *   tape.dispose();
 * }
 * ```
 */
export class GradientTape {
  private loss: tf.Scalar | null = null;
  private kept: tf.Tensor[] = [];
  private grads: tf.NamedTensorMap = {};
  private readonly watched: tf.Variable[] | undefined;

  /** `watch`: the variables to differentiate for (default: every trainable variable the loss uses). */
  constructor(watch?: GradientSources) {
    this.watched = watch?.map((v) => toVariable(v, 'GradientTape'));
  }

  /**
   * Runs `fn` under the tape. `fn` returns the loss (a scalar) or `{ loss, ...others }`; the
   * returned tensors survive the recording (intermediate ones are freed) until `dispose()`.
   * Losses layers add while it runs (`layer.addLoss`, activity regularizers) are available
   * inside `fn` from {@link GradientTape.addedLoss}.
   */
  record<T extends Recorded>(fn: () => T): T {
    if (this.loss !== null)
      throw new ConfigurationError('GradientTape: record() runs once per tape; make a new tape for the next step');
    let out: T | null = null;
    const { value, grads } = differentiate(
      () => {
        const { result, losses } = collectLosses(fn);
        tf.dispose(losses);
        out = result;
        if (result instanceof tf.Tensor) return checkScalar(result);
        for (const [key, t] of Object.entries(result))
          if (key !== 'loss' && t instanceof tf.Tensor) this.kept.push(tf.keep(t));
        return checkScalar(result.loss);
      },
      this.watched,
      'GradientTape.record',
    );
    this.loss = value;
    this.grads = grads;
    return out!;
  }

  /**
   * Sum of the losses layers added (`addLoss`, activity regularization) so far in the current
   * `record` — call it inside the recorded function to add them to the loss, as Keras's `model.losses`.
   */
  addedLoss(): tf.Scalar {
    const losses = lossesSoFar();
    return losses.length === 0 ? tf.scalar(0) : (tf.addN(losses.map((l) => tf.sum(l))) as tf.Scalar);
  }

  /** Gradients of the recorded loss for each source (`null` where the loss does not depend on it). */
  gradient(target: tf.Scalar, sources: GradientSources): (tf.Tensor | null)[] {
    if (this.loss === null)
      throw new ConfigurationError(
        'GradientTape.gradient: nothing recorded; compute the loss inside tape.record(() => …) first',
      );
    if (target !== this.loss) {
      throw new ConfigurationError(
        'GradientTape.gradient: the target must be the loss returned by tape.record() (TF.js differentiates the recorded function, not any tensor)',
      );
    }
    return sources.map((s) => this.grads[toVariable(s, 'GradientTape.gradient').name] ?? null);
  }

  /** Frees the loss, the tensors returned with it and the gradients. */
  dispose(): void {
    tf.dispose([...(this.loss === null ? [] : [this.loss]), ...this.kept, ...Object.values(this.grads)]);
    this.kept = [];
    this.grads = {};
  }
}

function checkScalar(t: tf.Tensor): tf.Scalar {
  if (!(t instanceof tf.Tensor) || t.rank !== 0) {
    throw new ConfigurationError(
      `GradientTape.record: the loss must be a scalar tensor, got ${t instanceof tf.Tensor ? `shape [${t.shape.join(', ')}]` : String(t)}; reduce it (tf.mean) first`,
    );
  }
  return t as tf.Scalar;
}
