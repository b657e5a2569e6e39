/**
 * A test stand-in for a mask-consuming layer (RNN, attention): records the mask it receives.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext } from '../engine/layer.js';
import type { TensorOrList } from '../engine/shape-utils.js';

/** Records the mask it receives (as 0/1 rows) and returns a copy of its input. */
export class MaskProbe extends Layer {
  static override readonly className: string = 'MaskProbe';
  /** The last mask received, or null when none came. */
  seen: number[][] | null = null;

  /** @param supportsMasking whether the probe declares mask support (default false, the Layer default) */
  constructor(supportsMasking = false) {
    super();
    if (supportsMasking) this.supportsMasking = true;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const mask = context.mask as tf.Tensor | null | undefined;
    this.seen = mask ? (tf.cast(mask, 'int32').arraySync() as number[][]) : null;
    return tf.clone(inputs as tf.Tensor);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
