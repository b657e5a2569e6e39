/**
 * Small helpers for shapes and tensor lists used across the engine.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { InputShapeError } from '../utils/errors.js';

/** A single tensor or a list of tensors (merge layers take lists). */
export type TensorOrList = tf.Tensor | tf.Tensor[];

/** What `call` returns: one tensor, or several for multi-output layers. */
export type LayerOutput = tf.Tensor | tf.Tensor[];

/** `(None, 28, 28, 1)`-style rendering, as Keras prints shapes. */
export { formatKerasShape as formatShape } from '@strata/graph';

/** Shapes of a tensor or list, with the batch dimension. */
export function shapesOf(inputs: TensorOrList): Shape[] {
  return (Array.isArray(inputs) ? inputs : [inputs]).map((t) => t.shape);
}

/** The single tensor of a call that takes one input; names the layer otherwise. */
export function singleInput(inputs: TensorOrList, layerName: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length === 1) return inputs[0]!;
  throw new InputShapeError(`Layer "${layerName}" expects a single input tensor, got a list of ${inputs.length}`);
}
