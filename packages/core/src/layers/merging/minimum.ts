/**
 * `Minimum`: the elementwise minimum of its inputs (masked positions of one input do not win), as `keras.layers.Minimum`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerLayer } from '../../engine/registry.js';
import { Merge, mergeWithMasks, type MergeMasks } from './base-merge.js';

/** The elementwise minimum of its inputs (masked positions of one input do not win); inputs broadcast over non-batch axes. Output mask: OR of the input masks when all inputs have one. */
export class Minimum extends Merge {
  static override readonly className: string = 'Minimum';
  static override readonly optionKeys: readonly string[] = [];

  protected mergeFunction(inputs: tf.Tensor[], masks: MergeMasks): tf.Tensor {
    return mergeWithMasks((a, b) => tf.minimum(a, b), inputs, masks);
  }
}
registerLayer(Minimum);
