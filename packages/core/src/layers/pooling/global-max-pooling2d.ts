/**
 * `GlobalMaxPooling2D({dataFormat, keepdims})`: Keras 3's global maximum over the 2 spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalMaxPooling2D}. */
export type GlobalMaxPooling2DArgs = GlobalPoolingArgs;

/**
 * The maximum over the 2 spatial axes: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalMaxPooling2D`.
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalMaxPooling2DArgs);
  constructor(args?: GlobalMaxPooling2DArgs);
  constructor(...params: unknown[]) {
    super(2, layerArgs<GlobalMaxPooling2DArgs>(new.target, params, ['dataFormat', 'keepdims']));
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.max(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(config as GlobalMaxPooling2DArgs);
  }
}

registerLayer(GlobalMaxPooling2D);
