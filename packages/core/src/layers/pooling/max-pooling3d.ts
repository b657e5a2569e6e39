/**
 * `MaxPooling3D(poolSize, {strides, padding, dataFormat})`: Keras 3's 3-D maximum pooling.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { BasePooling, type PoolingArgs, type PoolingOptions } from './base-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link MaxPooling3D}. */
export type MaxPooling3DArgs = PoolingArgs;

/**
 * 3-D maximum pooling over inputs `(batch, dim1, dim2, dim3, channels)` (channels last): the maximum of each
 * `poolSize` window, moved by `strides` (default `poolSize`).
 * In `same` mode padded positions never win the maximum.
 * Keras: `keras.layers.MaxPooling3D`.
 */
export class MaxPooling3D extends BasePooling {
  static override readonly className: string = 'MaxPooling3D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param poolSize window size: an int or one int per spatial dimension (default [2, 2, 2])
   * @param args other options, Keras defaults
   */
  constructor(poolSize?: IntOrTuple, strides?: IntOrTuple, args?: MaxPooling3DArgs);
  constructor(poolSize?: IntOrTuple, args?: MaxPooling3DArgs);
  constructor(args?: PoolingOptions);
  constructor(...params: unknown[]) {
    const args = layerArgs<PoolingOptions>(new.target, params, ['poolSize', 'strides']);
    super(3, 'max', args.poolSize ?? [2, 2, 2], args);
  }

  static override fromConfig(config: LayerConfig): MaxPooling3D {
    return new MaxPooling3D((config['poolSize'] as IntOrTuple | undefined) ?? [2, 2, 2], config as MaxPooling3DArgs);
  }
}

registerLayer(MaxPooling3D);
