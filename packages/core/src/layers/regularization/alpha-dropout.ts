/**
 * `AlphaDropout(rate, {noiseShape, seed})`, as Keras 3: dropout for SELU networks that sets
 * dropped units to SELU's negative saturation and applies an affine correction so mean and
 * variance are kept (Klambauer et al., 2017).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { layerArgs } from '../../engine/layer-options.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** Dropout that keeps SELU's self-normalizing property. */
export class AlphaDropout extends Dropout {
  static override readonly className: string = 'AlphaDropout';
  static override readonly optionKeys: readonly string[] = [];

  constructor(rate: number, noiseShape?: DropoutArgs['noiseShape'], args?: DropoutArgs);
  constructor(rate: number, args?: DropoutArgs);
  constructor(args: DropoutArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<DropoutArgs & { rate: number }>(new.target, params, ['rate', 'noiseShape']);
    super(rate, args);
  }

  override call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    if (context.training !== true || this.rate === 0) return x;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const seed = this.seedGenerator.next();
    return tf.tidy(() => {
      const kept = tf.cast(
        tf.greaterEqual(tf.randomUniform(this.noiseShapeFor(x), 0, 1, 'float32', seed), this.rate),
        x.dtype,
      );
      const dropped = tf.add(tf.mul(x, kept), tf.mul(alphaP, tf.sub(1, kept)));
      return tf.add(tf.mul(a, dropped), b);
    });
  }

  static override fromConfig(config: LayerConfig): AlphaDropout {
    return new AlphaDropout(config['rate'] as number, config as DropoutArgs);
  }
}
registerLayer(AlphaDropout);
