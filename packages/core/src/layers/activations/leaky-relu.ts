/**
 * `LeakyReLU`: `x` for `x ≥ 0`, `negativeSlope * x` below, as `keras.layers.LeakyReLU`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs [0.3, Keras 3's default]; must be ≥ 0. */
  negativeSlope?: number;
  /** Keras 2 / deprecated spelling of `negativeSlope`, accepted so old configs load. */
  alpha?: number;
}

/** Leaky rectifier with a fixed slope for negative inputs; masks pass through. */
export class LeakyReLU extends Layer {
  static override readonly className: string = 'LeakyReLU';
  static override readonly optionKeys: readonly string[] = ['negativeSlope', 'alpha'];
  readonly negativeSlope: number;

  constructor(negativeSlope?: number, args?: LeakyReLUArgs);
  constructor(args?: LeakyReLUArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<LeakyReLUArgs>(new.target, params, ['negativeSlope']);
    super(args);
    this.negativeSlope = args.alpha ?? args.negativeSlope ?? 0.3;
    if (typeof this.negativeSlope !== 'number' || !(this.negativeSlope >= 0)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (LeakyReLU): negativeSlope must be a number ≥ 0, got ${String(this.negativeSlope)}`,
      );
    }
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => tf.leakyRelu(x, this.negativeSlope));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
registerLayer(LeakyReLU);
