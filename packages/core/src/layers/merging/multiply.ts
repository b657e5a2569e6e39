/**
 * `Multiply`: the elementwise product of its inputs, as `keras.layers.Multiply`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerLayer } from '../../engine/registry.js';
import { Merge, broadcastMask, type MergeMasks } from './base-merge.js';

/**
 * The elementwise product; inputs broadcast over non-batch axes. As Keras: masked entries
 * count as 1 in the product, and when every input has a mask, positions masked in all
 * inputs are 0.
 */
export class Multiply extends Merge {
  static override readonly className: string = 'Multiply';
  static override readonly optionKeys: readonly string[] = [];

  protected mergeFunction(inputs: tf.Tensor[], masks: MergeMasks): tf.Tensor {
    const allMasked = masks.length === inputs.length && masks.every((m) => m !== null);
    let output: tf.Tensor | null = null;
    let outputMask: tf.Tensor | null = null;
    inputs.forEach((input, i) => {
      let x = input;
      const raw = masks[i] ?? null;
      if (raw !== null) {
        const mask = broadcastMask(raw, x);
        x = tf.where(mask, x, tf.onesLike(x));
        if (allMasked) outputMask = outputMask === null ? mask : tf.logicalOr(outputMask, mask);
      }
      output = output === null ? x : tf.mul(output, x);
    });
    if (outputMask !== null) output = tf.where(outputMask, output!, tf.zerosLike(output!));
    return output!;
  }
}
registerLayer(Multiply);
