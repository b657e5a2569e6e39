/**
 * `AveragePooling3D(poolSize, {strides, padding, dataFormat})`: Keras 3's 3-D average pooling.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { BasePooling, type PoolingArgs, type PoolingOptions } from './base-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link AveragePooling3D}. */
export type AveragePooling3DArgs = PoolingArgs;

/**
 * 3-D average pooling over inputs `(batch, dim1, dim2, dim3, channels)` (channels last): the average of each
 * `poolSize` window, moved by `strides` (default `poolSize`).
 * In `same` mode the average counts only the input values inside each window (padding excluded), as Keras/TF.
 * Keras 3 requires `pool_size` for average pooling; Strata defaults it to [2, 2, 2] like the max-pooling layers.
 * Keras: `keras.layers.AveragePooling3D`.
 */
export class AveragePooling3D extends BasePooling {
  static override readonly className: string = 'AveragePooling3D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param poolSize window size: an int or one int per spatial dimension (default [2, 2, 2])
   * @param args other options, Keras defaults
   */
  constructor(poolSize?: IntOrTuple, strides?: IntOrTuple, args?: AveragePooling3DArgs);
  constructor(poolSize?: IntOrTuple, args?: AveragePooling3DArgs);
  constructor(args?: PoolingOptions);
  constructor(...params: unknown[]) {
    const args = layerArgs<PoolingOptions>(new.target, params, ['poolSize', 'strides']);
    super(3, 'average', args.poolSize ?? [2, 2, 2], args);
  }

  static override fromConfig(config: LayerConfig): AveragePooling3D {
    return new AveragePooling3D(
      (config['poolSize'] as IntOrTuple | undefined) ?? [2, 2, 2],
      config as AveragePooling3DArgs,
    );
  }
}

registerLayer(AveragePooling3D);
