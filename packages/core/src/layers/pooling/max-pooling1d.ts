/**
 * `MaxPooling1D(poolSize, {strides, padding, dataFormat})`: Keras 3's 1-D maximum pooling.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { BasePooling, type PoolingArgs, type PoolingOptions } from './base-pooling.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link MaxPooling1D}. */
export type MaxPooling1DArgs = PoolingArgs;

/**
 * 1-D maximum pooling over inputs `(batch, steps, channels)` (channels last): the maximum of each
 * `poolSize` window, moved by `strides` (default `poolSize`).
 * In `same` mode padded positions never win the maximum.
 * Keras: `keras.layers.MaxPooling1D`.
 */
export class MaxPooling1D extends BasePooling {
  static override readonly className: string = 'MaxPooling1D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param poolSize window size: an int or one int per spatial dimension (default 2)
   * @param args other options, Keras defaults
   */
  constructor(poolSize?: IntOrTuple, strides?: IntOrTuple, args?: MaxPooling1DArgs);
  constructor(poolSize?: IntOrTuple, args?: MaxPooling1DArgs);
  constructor(args?: PoolingOptions);
  constructor(...params: unknown[]) {
    const args = layerArgs<PoolingOptions>(new.target, params, ['poolSize', 'strides']);
    super(1, 'max', args.poolSize ?? 2, args);
  }

  static override fromConfig(config: LayerConfig): MaxPooling1D {
    return new MaxPooling1D((config['poolSize'] as IntOrTuple | undefined) ?? 2, config as MaxPooling1DArgs);
  }
}

registerLayer(MaxPooling1D);
