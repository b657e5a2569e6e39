/**
 * `GlobalAveragePooling2D({dataFormat, keepdims})`: Keras 3's global mean over the 2 spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalAveragePooling2D}. */
export type GlobalAveragePooling2DArgs = GlobalPoolingArgs;

/**
 * The mean over the 2 spatial axes: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalAveragePooling2D`.
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalAveragePooling2DArgs);
  constructor(args?: GlobalAveragePooling2DArgs);
  constructor(...params: unknown[]) {
    super(2, layerArgs<GlobalAveragePooling2DArgs>(new.target, params, ['dataFormat', 'keepdims']));
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.mean(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config as GlobalAveragePooling2DArgs);
  }
}

registerLayer(GlobalAveragePooling2D);
