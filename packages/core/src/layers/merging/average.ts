/**
 * `Average`: the elementwise mean of its inputs, as `keras.layers.Average`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerLayer } from '../../engine/registry.js';
import { Merge } from './base-merge.js';

/** The elementwise mean of its inputs; inputs broadcast over non-batch axes. Output mask: OR of the input masks when all inputs have one. */
export class Average extends Merge {
  static override readonly className: string = 'Average';
  static override readonly optionKeys: readonly string[] = [];

  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.div(
      inputs.slice(1).reduce((acc, x) => tf.add(acc, x), inputs[0]!),
      inputs.length,
    );
  }
}
registerLayer(Average);
