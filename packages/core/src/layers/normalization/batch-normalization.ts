/**
 * `BatchNormalization({axis, momentum, epsilon, ...})`: Keras 3's batch normalization.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  resolveRegularizer,
} from '../weight-options.js';
import { resolveAxis, singleAxis } from './axes.js';
import { checkRenormClipping, renormTraining, type RenormClipping, type RenormVariables } from './batch-renorm.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link BatchNormalization} (Keras defaults in brackets). */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalized per entry [-1]. */
  axis?: number;
  /** Weight of the old value in the moving statistics update [0.99]. */
  momentum?: number;
  /** Added to the variance before the square root [1e-3]. */
  epsilon?: number;
  /** Add the learned offset `beta` [true]. */
  center?: boolean;
  /** Multiply by the learned scale `gamma` [true]. */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
  /** Batch renormalization (adds `moving_stddev`, `renorm_mean`, `renorm_stddev`) [false]. */
  renorm?: boolean;
  /** Clipping of the renorm corrections: `{rmax, rmin, dmax}` [none]. */
  renormClipping?: Record<string, number> | null;
  /** Momentum of the renorm statistics [0.99]. */
  renormMomentum?: number;
  /** Cross-replica statistics; Strata runs on one device, where this changes nothing. */
  synchronized?: boolean;
}

/**
 * Normalizes each feature (entry of `axis`) to zero mean and unit variance, then scales by
 * `gamma` and shifts by `beta`. In training (`training: true` and the layer trainable) it uses
 * the batch's mean and (biased) variance and updates
 * `moving = moving * momentum + batch * (1 - momentum)`; otherwise it uses the moving statistics.
 * As in Keras 3, a frozen layer (`trainable = false`) always runs in inference mode.
 * Weights: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (non-trainable).
 * Masked positions (mask of the input's shape without the last axis) are left out of the batch
 * statistics. `renorm: true` enables batch renormalization as Keras 3 (see `batch-renorm.ts`).
 * Keras: `keras.layers.BatchNormalization`.
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  static override readonly optionKeys: readonly string[] = [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'movingMeanInitializer',
    'movingVarianceInitializer',
    'betaRegularizer',
    'gammaRegularizer',
    'betaConstraint',
    'gammaConstraint',
    'renorm',
    'renormClipping',
    'renormMomentum',
    'synchronized',
  ];
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  readonly synchronized: boolean;
  readonly renorm: boolean;
  readonly renormClipping: RenormClipping | null;
  readonly renormMomentum: number;
  private renormVariables: RenormVariables | null = null;
  private gamma: tf.Variable | null = null;
  private beta: tf.Variable | null = null;
  private movingMean: tf.Variable | null = null;
  private movingVariance: tf.Variable | null = null;

  /**
   * @param axisOrArgs the features axis (Keras's first positional argument) or the options
   * @param args options when the axis is given first
   */
  constructor(axis?: number, momentum?: number, args?: BatchNormalizationArgs);
  constructor(axis?: number, args?: BatchNormalizationArgs);
  constructor(args?: BatchNormalizationArgs);
  constructor(...params: unknown[]) {
    const options = layerArgs<BatchNormalizationArgs>(new.target, params, ['axis', 'momentum']);
    super(options);
    const where = `BatchNormalization "${this.name}"`;
    this.axis = singleAxis(options.axis ?? -1, where);
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ConfigurationError(`${where}: \`momentum\` must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0))
      throw new ConfigurationError(`${where}: \`epsilon\` must be positive, got ${this.epsilon}`);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(options.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(options.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(options.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(options.gammaRegularizer);
    this.betaConstraint = resolveConstraint(options.betaConstraint);
    this.gammaConstraint = resolveConstraint(options.gammaConstraint);
    this.renorm = options.renorm ?? false;
    this.renormClipping = this.renorm
      ? checkRenormClipping(options.renormClipping, where)
      : (options.renormClipping ?? null);
    this.renormMomentum = options.renormMomentum ?? 0.99;
    this.synchronized = options.synchronized ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const where = `BatchNormalization "${this.name}"`;
    const axis = resolveAxis(this.axis, inputShape, where);
    const size = inputShape[axis];
    if (size === null || size === undefined) {
      throw new InputShapeError(
        `${where}: axis ${this.axis} of the input must have a known size, got shape ${formatShape(inputShape)}`,
      );
    }
    const shape = [size];
    if (this.scale) {
      this.gamma = this.addWeight('gamma', shape, {
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      }).value;
    }
    if (this.center) {
      this.beta = this.addWeight('beta', shape, {
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      }).value;
    }
    this.movingMean = this.addWeight('moving_mean', shape, {
      initializer: this.movingMeanInitializer,
      trainable: false,
    }).value;
    this.movingVariance = this.addWeight('moving_variance', shape, {
      initializer: this.movingVarianceInitializer,
      trainable: false,
    }).value;
    if (this.renorm) this.addRenormWeights(shape);
    this.inputSpec = { ndim: inputShape.length, axes: { [this.axis]: size } };
  }

  /** Keras's renorm weights: stddevs start at sqrt of the moving-variance initializer. */
  private addRenormWeights(shape: number[]): void {
    const stddevWeight = (name: string): tf.Variable => {
      const weight = this.addWeight(name, shape, { initializer: 'zeros', trainable: false });
      tf.tidy(() => weight.assign(tf.sqrt(this.movingVarianceInitializer.call(shape))));
      return weight.value;
    };
    const movingStddev = stddevWeight('moving_stddev');
    const renormMean = this.addWeight('renorm_mean', shape, {
      initializer: this.movingMeanInitializer,
      trainable: false,
    }).value;
    const renormStddev = stddevWeight('renorm_stddev');
    this.renormVariables = {
      movingMean: this.movingMean!,
      movingVariance: this.movingVariance!,
      movingStddev,
      renormMean,
      renormStddev,
    };
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const mask = Array.isArray(context.mask) ? (context.mask[0] ?? null) : (context.mask ?? null);
    if (mask !== null && mask.rank !== x.rank - 1) {
      throw new InputShapeError(
        `BatchNormalization "${this.name}": the mask must have one dimension less than the input; got mask ${formatShape(mask.shape)} for input ${formatShape(x.shape)}`,
      );
    }
    return tf.tidy(() => {
      const axis = resolveAxis(this.axis, x.shape, this.name);
      const paramShape = x.shape.map((d, i) => (i === axis ? d : 1));
      let mean: tf.Tensor = this.movingMean!;
      let variance: tf.Tensor = this.movingVariance!;
      let gamma: tf.Tensor | null = this.gamma;
      let beta: tf.Tensor | null = this.beta;
      if (context.training === true && this.trainable) {
        const reductionAxes = x.shape.map((_, i) => i).filter((i) => i !== axis);
        ({ mean, variance } = mask === null ? tf.moments(x, reductionAxes) : maskedMoments(x, mask, reductionAxes));
        if (this.renormVariables !== null) {
          ({ gamma, beta } = renormTraining(
            this.renormVariables,
            { mean, variance },
            {
              gamma,
              beta,
              epsilon: this.epsilon,
              momentum: this.momentum,
              renormMomentum: this.renormMomentum,
              clipping: this.renormClipping ?? {},
            },
          ));
        } else {
          this.updateMovingStatistics(mean, variance);
        }
      }
      // y = x * inv + (beta - mean * inv), inv = gamma / sqrt(variance + epsilon)
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (gamma !== null) inv = tf.mul(inv, gamma);
      let offset = tf.neg(tf.mul(mean, inv));
      if (beta !== null) offset = tf.add(offset, beta);
      return tf.add(tf.mul(x, tf.reshape(inv, paramShape)), tf.reshape(offset, paramShape));
    });
  }

  /** `moving = moving * momentum + batch * (1 - momentum)`; assignments are not part of any gradient. */
  private updateMovingStatistics(mean: tf.Tensor, variance: tf.Tensor): void {
    const update = (moving: tf.Variable, batch: tf.Tensor): void => {
      const next = tf.add(tf.mul(moving, this.momentum), tf.mul(batch, 1 - this.momentum));
      moving.assign(next);
    };
    update(this.movingMean!, mean);
    update(this.movingVariance!, variance);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerConfig(this.betaInitializer),
      gammaInitializer: initializerConfig(this.gammaInitializer),
      movingMeanInitializer: initializerConfig(this.movingMeanInitializer),
      movingVarianceInitializer: initializerConfig(this.movingVarianceInitializer),
      betaRegularizer: regularizerConfig(this.betaRegularizer),
      gammaRegularizer: regularizerConfig(this.gammaRegularizer),
      betaConstraint: constraintConfig(this.betaConstraint),
      gammaConstraint: constraintConfig(this.gammaConstraint),
      synchronized: this.synchronized,
      renorm: this.renorm,
      renormClipping: this.renormClipping === null ? null : { ...this.renormClipping },
      renormMomentum: this.renormMomentum,
    };
  }

  static override fromConfig(config: LayerConfig): BatchNormalization {
    return new BatchNormalization(config as BatchNormalizationArgs);
  }
}

/** Mean and biased variance over `axes`, counting only positions where `mask` (input shape minus the last axis) is true. */
function maskedMoments(x: tf.Tensor, mask: tf.Tensor, axes: number[]): { mean: tf.Tensor; variance: tf.Tensor } {
  const keep = tf.broadcastTo(tf.expandDims(tf.cast(mask, 'bool'), -1), x.shape);
  const zeros = tf.zerosLike(x);
  // Keras adds its backend epsilon (1e-7) so fully masked batches give 0 rather than NaN.
  const denominator = tf.add(tf.sum(tf.cast(keep, x.dtype), axes, true), 1e-7);
  // `where`, not a product, so masked NaN/Inf values cannot leak into the statistics.
  const mean = tf.div(tf.sum(tf.where(keep, x, zeros), axes, true), denominator);
  const variance = tf.div(tf.sum(tf.where(keep, tf.square(tf.sub(x, mean)), zeros), axes, true), denominator);
  return { mean: tf.reshape(mean, [-1]), variance: tf.reshape(variance, [-1]) };
}

registerLayer(BatchNormalization);
