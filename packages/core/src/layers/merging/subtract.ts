/**
 * `Subtract`: the elementwise difference of exactly two inputs, as `keras.layers.Subtract`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { registerLayer } from '../../engine/registry.js';
import { Merge, formatShapes } from './base-merge.js';
import { InputShapeError } from '../../utils/errors.js';

/** `inputs[0] - inputs[1]`; the two inputs broadcast over non-batch axes. */
export class Subtract extends Merge {
  static override readonly className: string = 'Subtract';
  static override readonly optionKeys: readonly string[] = [];

  override build(inputShape: Shape | Shape[]): void {
    const shapes = this.checkShapes(inputShape);
    if (shapes.length !== 2) {
      throw new InputShapeError(
        `${this.where}: needs exactly 2 inputs, got ${shapes.length} with shapes ${formatShapes(shapes)}`,
      );
    }
    super.build(shapes);
  }

  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    if (inputs.length !== 2) throw new InputShapeError(`${this.where}: needs exactly 2 inputs, got ${inputs.length}`);
    return tf.sub(inputs[0]!, inputs[1]!);
  }
}
registerLayer(Subtract);
