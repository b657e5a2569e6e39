/**
 * `GlobalMaxPooling1D({dataFormat, keepdims})`: Keras 3's global maximum over the time axis.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalMaxPooling1D}. */
export type GlobalMaxPooling1DArgs = GlobalPoolingArgs;

/**
 * The maximum over the time axis: `(batch, channels)`, or with `keepdims` the spatial axes kept
 * with size 1. Keras: `keras.layers.GlobalMaxPooling1D`.
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalMaxPooling1DArgs);
  constructor(args?: GlobalMaxPooling1DArgs);
  constructor(...params: unknown[]) {
    super(1, layerArgs<GlobalMaxPooling1DArgs>(new.target, params, ['dataFormat', 'keepdims']));
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.max(x, axes, this.keepdims);
  }

  static override fromConfig(config: LayerConfig): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(config as GlobalMaxPooling1DArgs);
  }
}

registerLayer(GlobalMaxPooling1D);
