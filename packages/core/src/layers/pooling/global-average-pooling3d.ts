/**
 * `GlobalAveragePooling3D({dataFormat, keepdims})`: Keras 3's global mean over the 3 spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalAveragePooling3D}. */
export type GlobalAveragePooling3DArgs = GlobalPoolingArgs;

/**
 * The mean over the 3 spatial axes: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalAveragePooling3D`.
 */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling3D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalAveragePooling3DArgs);
  constructor(args?: GlobalAveragePooling3DArgs);
  constructor(...params: unknown[]) {
    super(3, layerArgs<GlobalAveragePooling3DArgs>(new.target, params, ['dataFormat', 'keepdims']));
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.mean(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalAveragePooling3D {
    return new GlobalAveragePooling3D(config as GlobalAveragePooling3DArgs);
  }
}

registerLayer(GlobalAveragePooling3D);
