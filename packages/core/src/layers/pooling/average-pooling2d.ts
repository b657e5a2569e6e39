/**
 * `AveragePooling2D(poolSize, {strides, padding, dataFormat})`: Keras 3's 2-D average pooling.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { BasePooling, type PoolingArgs, type PoolingOptions } from './base-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link AveragePooling2D}. */
export type AveragePooling2DArgs = PoolingArgs;

/**
 * 2-D average pooling over inputs `(batch, rows, cols, channels)` (channels last): the average of each
 * `poolSize` window, moved by `strides` (default `poolSize`).
 * In `same` mode the average counts only the input values inside each window (padding excluded), as Keras/TF.
 * Keras 3 requires `pool_size` for average pooling; Strata defaults it to [2, 2] like the max-pooling layers.
 * Keras: `keras.layers.AveragePooling2D`.
 */
export class AveragePooling2D extends BasePooling {
  static override readonly className: string = 'AveragePooling2D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param poolSize window size: an int or one int per spatial dimension (default [2, 2])
   * @param args other options, Keras defaults
   */
  constructor(poolSize?: IntOrTuple, strides?: IntOrTuple, args?: AveragePooling2DArgs);
  constructor(poolSize?: IntOrTuple, args?: AveragePooling2DArgs);
  constructor(args?: PoolingOptions);
  constructor(...params: unknown[]) {
    const args = layerArgs<PoolingOptions>(new.target, params, ['poolSize', 'strides']);
    super(2, 'average', args.poolSize ?? [2, 2], args);
  }

  static override fromConfig(config: LayerConfig): AveragePooling2D {
    return new AveragePooling2D(
      (config['poolSize'] as IntOrTuple | undefined) ?? [2, 2],
      config as AveragePooling2DArgs,
    );
  }
}

registerLayer(AveragePooling2D);
