/**
 * `RMSNormalization({axis, epsilon})`: Keras 3's root-mean-square normalization.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { axisList, resolveAxis } from './axes.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link RMSNormalization} (Keras defaults in brackets). */
export interface RMSNormalizationArgs extends LayerArgs {
  /** Axis or axes the mean square is taken over [-1]. */
  axis?: number | number[];
  /** Added to the mean square before the square root [1e-6]. */
  epsilon?: number;
}

/**
 * `x / sqrt(mean(x², axis) + epsilon) * scale`, with a learned `scale` (initialized to ones)
 * shaped like the normalized axes. As Keras, the axis is stored as a list after `build`.
 * Keras: `keras.layers.RMSNormalization`.
 */
export class RMSNormalization extends Layer {
  static override readonly className: string = 'RMSNormalization';
  static override readonly optionKeys: readonly string[] = ['axis', 'epsilon'];
  axis: number | number[];
  readonly epsilon: number;
  private scale: tf.Variable | null = null;

  /**
   * @param axisOrArgs the axis or axes (Keras's first positional argument) or the options
   * @param args options when the axis is given first
   */
  constructor(axis?: number | number[], epsilon?: number, args?: RMSNormalizationArgs);
  constructor(axis?: number | number[], args?: RMSNormalizationArgs);
  constructor(args?: RMSNormalizationArgs);
  constructor(...params: unknown[]) {
    const options = layerArgs<RMSNormalizationArgs>(new.target, params, ['axis', 'epsilon']);
    super(options);
    const axis = options.axis ?? -1;
    axisList(axis, this.where);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = options.epsilon ?? 1e-6;
    if (!(this.epsilon >= 0))
      throw new ConfigurationError(`${this.where}: \`epsilon\` must be >= 0, got ${this.epsilon}`);
  }

  private get where(): string {
    return `RMSNormalization "${this.name}"`;
  }

  private resolveAxes(shape: Shape): number[] {
    return axisList(this.axis, this.where)
      .map((a) => resolveAxis(a, shape, this.where))
      .sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.resolveAxes(inputShape);
    const shape = axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null || d === undefined)) {
      throw new InputShapeError(
        `${this.where}: the normalized axes must have known sizes, got input shape ${formatShape(inputShape)}`,
      );
    }
    // Keras keeps the axes as given (sorted), wrapped in a list.
    this.axis = Array.isArray(this.axis) ? [...this.axis].sort((a, b) => a - b) : [this.axis];
    this.scale = this.addWeight('scale', shape as number[], { initializer: 'ones' }).value;
  }

  /** Shape-preserving; checks the axes (no rule for this layer in `@strata/graph` yet). */
  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const axes = this.resolveAxes(x.shape);
      const inverseRms = tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), this.epsilon));
      const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
      return tf.mul(tf.mul(x, inverseRms), tf.reshape(this.scale!, paramShape));
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, epsilon: this.epsilon };
  }

  static override fromConfig(config: LayerConfig): RMSNormalization {
    return new RMSNormalization(config as RMSNormalizationArgs);
  }
}

registerLayer(RMSNormalization);
