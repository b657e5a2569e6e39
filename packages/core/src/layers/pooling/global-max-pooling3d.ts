/**
 * `GlobalMaxPooling3D({dataFormat, keepdims})`: Keras 3's global maximum over the 3 spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalMaxPooling3D}. */
export type GlobalMaxPooling3DArgs = GlobalPoolingArgs;

/**
 * The maximum over the 3 spatial axes: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalMaxPooling3D`.
 */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling3D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalMaxPooling3DArgs);
  constructor(args?: GlobalMaxPooling3DArgs);
  constructor(...params: unknown[]) {
    super(3, layerArgs<GlobalMaxPooling3DArgs>(new.target, params, ['dataFormat', 'keepdims']));
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.max(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalMaxPooling3D {
    return new GlobalMaxPooling3D(config as GlobalMaxPooling3DArgs);
  }
}

registerLayer(GlobalMaxPooling3D);
