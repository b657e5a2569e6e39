/**
 * Weight management of a layer: creating a weight (charged against the weight budget,
 * initialized, with its regularizer and constraint) and listing weights in Keras's order.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { getConstraint } from '../constraints/index.js';
import { getInitializer } from '../initializers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import type { Layer } from './layer.js';
import type { AddWeightOptions } from './layer-types.js';
import { LayerVariable } from './variable.js';
import { chargeWeight } from './weight-budget.js';

/** A new weight of `layer`, initialized (default `glorot_uniform`) in the layer's dtype. */
export function createLayerWeight(
  layer: Layer,
  name: string,
  shape: number[],
  options: AddWeightOptions,
): LayerVariable {
  chargeWeight(layer.name, name, shape);
  const initializer = getInitializer(options.initializer ?? 'glorot_uniform');
  const initial = initializer.call(shape, options.dtype ?? (layer.dtype as tf.DataType));
  const regularizer = options.regularizer ? getRegularizer(options.regularizer) : null;
  const constraint = options.constraint ? getConstraint(options.constraint) : null;
  const weight = new LayerVariable(name, initial, layer, options.trainable ?? true, regularizer, constraint);
  initial.dispose();
  return weight;
}

/** Keras's weight order: own trainable, own non-trainable, then each sublayer's (each weight once). */
export function orderedWeights(own: readonly LayerVariable[], sublayers: readonly Layer[]): LayerVariable[] {
  const ordered = [...own.filter((w) => w.createdTrainable), ...own.filter((w) => !w.createdTrainable)];
  const seen = new Set(ordered);
  for (const layer of sublayers) {
    for (const w of layer.weights) {
      if (!seen.has(w)) {
        seen.add(w);
        ordered.push(w);
      }
    }
  }
  return ordered;
}

/** Number of scalars in `weights`. */
export function countScalars(weights: readonly LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}
