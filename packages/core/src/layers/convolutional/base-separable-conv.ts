/**
 * `SeparableConv2D(filters, {kernelSize, depthMultiplier, ...})`: Keras 3's depthwise-separable
 * 2-D convolution (a depthwise convolution followed by a 1×1 pointwise convolution).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import type { CallContext, LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  BaseConv,
  constraintConfig,
  initializerConfig,
  optionalConstraint,
  optionalRegularizer,
  regularizerConfig,
  type BaseConvArgs,
  type IntOrTuple,
} from './base-conv.js';
import { depthwiseChannelsLast } from './conv-ops.js';
import { checkDepthMultiplier } from './depthwise-conv2d.js';

/** Options of {@link SeparableConv2D}. */
export interface SeparableConv2DArgs extends BaseConvArgs {
  /** Size of the depthwise window: an int or `[rows, cols]` (required). */
  kernelSize: IntOrTuple;
  /** Depthwise output channels per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * Depthwise convolution (kernel `depthwise_kernel` `[kh, kw, in, depthMultiplier]`, with the
 * layer's strides and dilation) then a pointwise 1×1 convolution (`pointwise_kernel`
 * `[1, 1, in * depthMultiplier, filters]`), bias and activation. Keras: `keras.layers.SeparableConv2D`.
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className: string = 'SeparableConv2D';
  /** Number of output channels. */
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  private depthwiseKernel: tf.Variable | null = null;
  private pointwiseKernel: tf.Variable | null = null;
  private bias: tf.Variable | null = null;

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: SeparableConv2DArgs) {
    super(2, args.kernelSize, args);
    this.depthMultiplier = checkDepthMultiplier(args.depthMultiplier ?? 1, this.where);
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`${this.where}: \`filters\` must be a positive integer, got ${String(filters)}`);
    }
    this.filters = filters;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorot_uniform');
    this.depthwiseRegularizer = optionalRegularizer(args.depthwiseRegularizer);
    this.pointwiseRegularizer = optionalRegularizer(args.pointwiseRegularizer);
    this.depthwiseConstraint = optionalConstraint(args.depthwiseConstraint);
    this.pointwiseConstraint = optionalConstraint(args.pointwiseConstraint);
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.computeOutputShape(inputShape);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], {
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    }).value;
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, channels * this.depthMultiplier, this.filters], {
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    }).value;
    this.bias = this.addBias(this.filters);
    this.setChannelSpec(channels);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    void context;
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const input = this.toChannelsLast(x) as tf.Tensor4D;
      const padding = this.padding === 'same' ? 'same' : 'valid';
      const depthwise = depthwiseChannelsLast(input, this.depthwiseKernel!, { strides: this.strides, padding, dilation: this.dilationRate });
      const y = tf.conv2d(depthwise, this.pointwiseKernel as tf.Tensor4D, 1, 'valid');
      return this.fromChannelsLast(this.finish(y, this.bias));
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      filters: this.filters,
      ...this.spatialConfig(),
      ...this.activationConfig(),
      depthwiseInitializer: initializerConfig(this.depthwiseInitializer),
      pointwiseInitializer: initializerConfig(this.pointwiseInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      depthwiseRegularizer: regularizerConfig(this.depthwiseRegularizer),
      pointwiseRegularizer: regularizerConfig(this.pointwiseRegularizer),
      biasRegularizer: regularizerConfig(this.biasRegularizer),
      activityRegularizer: regularizerConfig(this.activityRegularizer),
      depthwiseConstraint: constraintConfig(this.depthwiseConstraint),
      pointwiseConstraint: constraintConfig(this.pointwiseConstraint),
      biasConstraint: constraintConfig(this.biasConstraint),
    };
  }

  static override fromConfig(config: LayerConfig): SeparableConv2D {
    return new SeparableConv2D(config['filters'] as number, config as unknown as SeparableConv2DArgs);
  }
}

registerLayer(SeparableConv2D);
