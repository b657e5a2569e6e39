/**
 * `ReLU`: rectified linear unit with optional cap, leak and threshold, as `keras.layers.ReLU`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ReLU} (Keras defaults in brackets). */
export interface ReLUArgs extends LayerArgs {
  /** Largest output value [none]; must be ≥ 0. */
  maxValue?: number | null;
  /** Slope below the threshold [0]; must be ≥ 0. */
  negativeSlope?: number;
  /** Inputs at or below it are damped [0]; must be ≥ 0. */
  threshold?: number;
}

/**
 * `f(x) = min(x, maxValue)` for `x > threshold`, else `negativeSlope * (x - threshold)`.
 * Masks pass through.
 */
export class ReLU extends Layer {
  static override readonly className: string = 'ReLU';
  static override readonly optionKeys: readonly string[] = ['maxValue', 'negativeSlope', 'threshold'];
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(maxValue?: ReLUArgs['maxValue'], negativeSlope?: number, args?: ReLUArgs);
  constructor(maxValue?: ReLUArgs['maxValue'], args?: ReLUArgs);
  constructor(args?: ReLUArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ReLUArgs>(new.target, params, ['maxValue', 'negativeSlope']);
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    const where = `Layer "${this.name}" (ReLU)`;
    if (this.maxValue !== null && !(this.maxValue >= 0)) {
      throw new ConfigurationError(`${where}: maxValue must be null or ≥ 0, got ${this.maxValue}`);
    }
    if (!(this.negativeSlope >= 0))
      throw new ConfigurationError(`${where}: negativeSlope must be ≥ 0, got ${this.negativeSlope}`);
    if (!(this.threshold >= 0)) throw new ConfigurationError(`${where}: threshold must be ≥ 0, got ${this.threshold}`);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const { maxValue, negativeSlope, threshold } = this;
      if (negativeSlope !== 0 && maxValue === null && threshold === 0) return tf.leakyRelu(x, negativeSlope);
      // x * step(x - threshold) keeps x above the threshold; unlike where(greater(...)) it has a gradient in TF.js.
      let positive = threshold !== 0 ? tf.mul(x, tf.step(tf.sub(x, threshold))) : tf.relu(x);
      if (maxValue !== null) positive = tf.clipByValue(positive, 0, maxValue);
      if (negativeSlope === 0) return positive;
      // Below the threshold: negativeSlope * (x - threshold) = -negativeSlope * relu(threshold - x).
      return tf.sub(positive, tf.mul(negativeSlope, tf.relu(tf.sub(threshold, x))));
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}
registerLayer(ReLU);
