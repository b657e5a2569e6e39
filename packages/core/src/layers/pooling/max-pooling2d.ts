/**
 * `MaxPooling2D(poolSize, {strides, padding, dataFormat})`: Keras 3's 2-D maximum pooling.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { BasePooling, type PoolingArgs, type PoolingOptions } from './base-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link MaxPooling2D}. */
export type MaxPooling2DArgs = PoolingArgs;

/**
 * 2-D maximum pooling over inputs `(batch, rows, cols, channels)` (channels last): the maximum of each
 * `poolSize` window, moved by `strides` (default `poolSize`).
 * In `same` mode padded positions never win the maximum.
 * Keras: `keras.layers.MaxPooling2D`.
 */
export class MaxPooling2D extends BasePooling {
  static override readonly className: string = 'MaxPooling2D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param poolSize window size: an int or one int per spatial dimension (default [2, 2])
   * @param args other options, Keras defaults
   */
  constructor(poolSize?: IntOrTuple, strides?: IntOrTuple, args?: MaxPooling2DArgs);
  constructor(poolSize?: IntOrTuple, args?: MaxPooling2DArgs);
  constructor(args?: PoolingOptions);
  constructor(...params: unknown[]) {
    const args = layerArgs<PoolingOptions>(new.target, params, ['poolSize', 'strides']);
    super(2, 'max', args.poolSize ?? [2, 2], args);
  }

  static override fromConfig(config: LayerConfig): MaxPooling2D {
    return new MaxPooling2D((config['poolSize'] as IntOrTuple | undefined) ?? [2, 2], config as MaxPooling2DArgs);
  }
}

registerLayer(MaxPooling2D);
