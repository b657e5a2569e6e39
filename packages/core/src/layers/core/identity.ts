/**
 * `Identity`: returns its input unchanged, as `keras.layers.Identity`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { LayerOutput, TensorOrList } from '../../engine/shape-utils.js';

/** A placeholder layer that returns its input(s) unchanged (as new tensor handles); masks pass through. */
export class Identity extends Layer {
  static override readonly className: string = 'Identity';
  static override readonly optionKeys: readonly string[] = [];

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): LayerOutput {
    // A clone shares the data but is a tensor of its own, so the caller may dispose
    // input and output independently, as with every other layer.
    return Array.isArray(inputs) ? inputs.map((x) => tf.clone(x)) : tf.clone(inputs);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }
}
registerLayer(Identity);
