/**
 * `GroupNormalization({groups, axis, epsilon, ...})`: Keras 3's group normalization.
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
import { resolveAxis, singleAxis } from './axes.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GroupNormalization} (Keras defaults in brackets). */
export interface GroupNormalizationArgs extends LayerArgs, AffineSettingsArgs {
  /** Number of channel groups; -1 = one group per channel (instance normalization) [32]. */
  groups?: number;
  /** The channels axis [-1]. */
  axis?: number;
  /** Added to the variance before the square root [1e-3]. */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

/**
 * Splits the channels into `groups` groups and normalizes each group of each example over its
 * channels and all other non-batch axes (biased variance), then applies per-channel `gamma`
 * and `beta`. Same in training and inference. Keras: `keras.layers.GroupNormalization`.
 */
// The resolved beta / gamma settings are public readonly members, set in the constructor.
export interface GroupNormalization extends AffineSettings {}

export class GroupNormalization extends Layer {
  static override readonly className: string = 'GroupNormalization';
  static override readonly optionKeys: readonly string[] = [
    'groups',
    'axis',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'betaRegularizer',
    'gammaRegularizer',
    'betaConstraint',
    'gammaConstraint',
  ];
  /** Number of groups (resolved from -1 to the channel count at build, as Keras). */
  groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma: tf.Variable | null = null;
  private beta: tf.Variable | null = null;

  /**
   * @param groupsOrArgs the number of groups (Keras's first positional argument) or the options
   * @param args options when the groups are given first
   */
  constructor(groups?: number, axis?: number, args?: GroupNormalizationArgs);
  constructor(groups?: number, args?: GroupNormalizationArgs);
  constructor(args?: GroupNormalizationArgs);
  constructor(...params: unknown[]) {
    const options = layerArgs<GroupNormalizationArgs>(new.target, params, ['groups', 'axis']);
    super(options);
    this.groups = options.groups ?? 32;
    if (!Number.isInteger(this.groups) || (this.groups <= 0 && this.groups !== -1)) {
      throw new ConfigurationError(
        `${this.where}: \`groups\` must be a positive integer (or -1 for instance normalization), got ${String(this.groups)}`,
      );
    }
    this.axis = singleAxis(options.axis ?? -1, this.where);
    this.epsilon = options.epsilon ?? 1e-3;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    Object.assign(this, resolveAffineSettings(options));
    this.supportsMasking = true;
  }

  private get where(): string {
    return `GroupNormalization "${this.name}"`;
  }

  override build(inputShape: Shape): void {
    const axis = resolveAxis(this.axis, inputShape, this.where);
    const channels = inputShape[axis];
    if (channels === null || channels === undefined) {
      throw new InputShapeError(
        `${this.where}: axis ${this.axis} of the input must have a known size, got shape ${formatShape(inputShape)}`,
      );
    }
    if (this.groups === -1) this.groups = channels;
    if (channels < this.groups || channels % this.groups !== 0) {
      throw new ConfigurationError(
        `${this.where}: the channel count (${channels}) must be a multiple of \`groups\` (${this.groups}) and at least as large`,
      );
    }
    if (this.scale) {
      this.gamma = addAffineWeight(this, 'gamma', [channels], this);
    }
    if (this.center) {
      this.beta = addAffineWeight(this, 'beta', [channels], this);
    }
    this.inputSpec = { ndim: inputShape.length, axes: { [this.axis]: channels } };
  }

  /** Shape-preserving; checks the axis (no rule for this layer in `@strata/graph` yet). */
  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const axis = resolveAxis(this.axis, x.shape, this.where);
      const last = x.rank - 1;
      // Work channels-last: [batch, positions, groups, channelsPerGroup], statistics over axes 1 and 3.
      const perm = x.shape
        .map((_, i) => i)
        .filter((i) => i !== axis)
        .concat(axis);
      const moved = axis === last ? x : tf.transpose(x, perm);
      const channels = x.shape[axis]!;
      const grouped = tf.reshape(moved, [x.shape[0]!, -1, this.groups, channels / this.groups]);
      const { mean, variance } = tf.moments(grouped, [1, 3], true);
      let y = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.epsilon))), moved.shape);
      if (this.gamma !== null) y = tf.mul(y, this.gamma);
      if (this.beta !== null) y = tf.add(y, this.beta);
      if (axis === last) return y;
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return tf.transpose(y, inverse);
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...affineSettingsConfig(this),
    };
  }

  static override fromConfig(config: LayerConfig): GroupNormalization {
    return new GroupNormalization(config as GroupNormalizationArgs);
  }
}

registerLayer(GroupNormalization);
