/**
 * `ELU`: exponential linear unit, as `keras.layers.ELU`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ELU}. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part [1]. */
  alpha?: number;
}

/** `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise; masks pass through. */
export class ELU extends Layer {
  static override readonly className: string = 'ELU';
  static override readonly optionKeys: readonly string[] = ['alpha'];
  readonly alpha: number;

  constructor(alpha?: number, args?: ELUArgs);
  constructor(args?: ELUArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ELUArgs>(new.target, params, ['alpha']);
    super(args);
    this.alpha = args.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (ELU): alpha must be a finite number, got ${String(this.alpha)}`,
      );
    }
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      if (this.alpha === 1) return tf.elu(x);
      // relu(x) + alpha * expm1(min(x, 0)): written without where(greater(...)), which has no gradient in TF.js.
      return tf.add(tf.relu(x), tf.mul(this.alpha, tf.expm1(tf.minimum(x, 0))));
    });
  }

  /**
   * Keras 3's ELU writes no `alpha` to its config (it is lost on save); Strata writes it,
   * which Keras accepts on load since `alpha` is a constructor argument.
   */
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerLayer(ELU);
