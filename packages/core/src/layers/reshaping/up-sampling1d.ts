/**
 * `UpSampling1D`: repeats each step of a sequence, as `keras.layers.UpSampling1D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { repeatAlongAxis } from './repeat-axis.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link UpSampling1D}. Keras 3's UpSampling1D has no `data_format`: input is `(batch, steps, features)`. */
export interface UpSampling1DArgs extends LayerArgs {
  /** Repetitions of each step [2]. */
  size?: number;
}

/** `(batch, steps, features)` → `(batch, steps * size, features)`, each step repeated `size` times. */
export class UpSampling1D extends Layer {
  static override readonly className: string = 'UpSampling1D';
  static override readonly optionKeys: readonly string[] = ['size'];
  readonly size: number;

  constructor(size?: number, args?: UpSampling1DArgs);
  constructor(args?: UpSampling1DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<UpSampling1DArgs>(new.target, params, ['size']);
    super(args);
    const size = args.size ?? 2;
    if (!Number.isInteger(size) || size <= 0) {
      throw new ConfigurationError(
        `Layer "${this.name}" (UpSampling1D): size must be a positive integer, got ${JSON.stringify(size)}`,
      );
    }
    this.size = size;
    this.inputSpec = { ndim: 3 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    return repeatAlongAxis(singleInput(inputs, this.name), 1, this.size);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size };
  }
}
registerLayer(UpSampling1D);
