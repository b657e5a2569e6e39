/**
 * `GlobalMaxPooling2D({dataFormat, keepdims})`: Keras 3's global maximum over the 2 spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** Options of {@link GlobalMaxPooling2D}. */
export type GlobalMaxPooling2DArgs = GlobalPoolingArgs;

/**
 * The maximum over the 2 spatial axes: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalMaxPooling2D`.
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, args);
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.max(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(config as GlobalMaxPooling2DArgs);
  }
}

registerLayer(GlobalMaxPooling2D);
