/**
 * `LayerNormalization({axis, epsilon, center, scale, ...})`: Keras 3's layer normalization.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import {
  addAffineWeight,
  affineSettingsConfig,
  resolveAffineSettings,
  type AffineSettings,
  type AffineSettingsArgs,
} from './affine-settings.js';
import { axisList, resolveAxis } from './axes.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link LayerNormalization} (Keras defaults in brackets). */
export interface LayerNormalizationArgs extends LayerArgs, AffineSettingsArgs {
  /** Axis or axes normalized together, per example [-1]. */
  axis?: number | number[];
  /** Added to the variance before the square root [1e-3]. */
  epsilon?: number;
  /** Add the learned offset `beta` [true]. */
  center?: boolean;
  /** Multiply by the learned scale `gamma` [true]. */
  scale?: boolean;
  /**
   * Deprecated in Keras 3 (kept for loading old files): divide by sqrt(variance + epsilon) without
   * centering, scale by `gamma`, no `beta` [false]. Use RMSNormalization for real RMS scaling.
   */
  rmsScaling?: boolean;
}

/**
 * Normalizes each example over `axis` to zero mean and unit (biased) variance, then scales by
 * `gamma` and shifts by `beta` (both shaped like the normalized axes). Same in training and
 * inference; masks pass through. After `build` the axis is stored as a sorted list of
 * non-negative axes, as Keras does. Keras: `keras.layers.LayerNormalization`.
 */
// The resolved beta / gamma settings are public readonly members, set in the constructor.
export interface LayerNormalization extends AffineSettings {}

export class LayerNormalization extends Layer {
  static override readonly className: string = 'LayerNormalization';
  static override readonly optionKeys: readonly string[] = [
    'axis',
    'epsilon',
    'center',
    'scale',
    'rmsScaling',
    'betaInitializer',
    'gammaInitializer',
    'betaRegularizer',
    'gammaRegularizer',
    'betaConstraint',
    'gammaConstraint',
  ];
  /** The axes as given, or (after build) sorted and non-negative. */
  axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  private gamma: tf.Variable | null = null;
  private beta: tf.Variable | null = null;

  /**
   * @param axisOrArgs the axis or axes (Keras's first positional argument) or the options
   * @param args options when the axis is given first
   */
  constructor(axis?: number | number[], epsilon?: number, args?: LayerNormalizationArgs);
  constructor(axis?: number | number[], args?: LayerNormalizationArgs);
  constructor(args?: LayerNormalizationArgs);
  constructor(...params: unknown[]) {
    const options = layerArgs<LayerNormalizationArgs>(new.target, params, ['axis', 'epsilon']);
    super(options);
    const axis = options.axis ?? -1;
    axisList(axis, this.where);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.epsilon > 0))
      throw new ConfigurationError(`${this.where}: \`epsilon\` must be positive, got ${this.epsilon}`);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.rmsScaling = options.rmsScaling ?? false;
    Object.assign(this, resolveAffineSettings(options));
    this.supportsMasking = true;
  }

  private get where(): string {
    return `LayerNormalization "${this.name}"`;
  }

  /** The normalized axes resolved against a shape (sorted, non-negative, distinct). */
  private resolveAxes(shape: Shape): number[] {
    const axes = axisList(this.axis, this.where).map((a) => resolveAxis(a, shape, this.where));
    if (new Set(axes).size !== axes.length) {
      throw new InputShapeError(
        `${this.where}: duplicate axes are not allowed, got axis ${JSON.stringify(this.axis)} for input shape ${formatShape(shape)}`,
      );
    }
    return axes.sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.resolveAxes(inputShape);
    // Keras keeps the axes as given, as a sorted list (`[-1]` stays `[-1]` in the saved config),
    // and gives gamma/beta the sizes in that order (`[-1, 1]` on (b, 3, 5) → (5, 3)).
    const kerasAxes = Array.isArray(this.axis) ? [...this.axis].sort((a, b) => a - b) : [this.axis];
    const shape = kerasAxes.map((a) => inputShape[resolveAxis(a, inputShape, this.where)]);
    if (shape.some((d) => d === null || d === undefined)) {
      throw new InputShapeError(
        `${this.where}: the normalized axes ${JSON.stringify(axes)} must have known sizes, got input shape ${formatShape(inputShape)}`,
      );
    }
    this.axis = kerasAxes;
    const weightShape = shape as number[];
    if (this.scale || this.rmsScaling) {
      this.gamma = addAffineWeight(this, 'gamma', weightShape, this);
    }
    if (this.center && !this.rmsScaling) {
      this.beta = addAffineWeight(this, 'beta', weightShape, this);
    }
    this.inputSpec = { ndim: inputShape.length, axes: Object.fromEntries(axes.map((a) => [a, inputShape[a]!])) };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const axes = this.resolveAxes(x.shape);
      // gamma / beta have the normalized axes' shape; broadcast them over the other axes.
      const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
      const { mean, variance } = tf.moments(x, axes, true);
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (this.gamma !== null) inv = tf.mul(inv, tf.reshape(this.gamma, paramShape));
      // The deprecated rms_scaling mode scales by the variance without centering (as Keras).
      if (this.rmsScaling) return tf.mul(x, inv);
      let offset = tf.neg(tf.mul(mean, inv));
      if (this.beta !== null) offset = tf.add(offset, tf.reshape(this.beta, paramShape));
      return tf.add(tf.mul(x, inv), offset);
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      ...affineSettingsConfig(this),
    };
  }

  static override fromConfig(config: LayerConfig): LayerNormalization {
    return new LayerNormalization(config as LayerNormalizationArgs);
  }
}

registerLayer(LayerNormalization);
