/**
 * What `SeparableConv1D` and `SeparableConv2D` share (Keras `BaseSeparableConv`): a depthwise
 * convolution followed by a pointwise (kernel size 1) convolution.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import type { CallContext, LayerConfig } from '../../engine/layer.js';
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
import { checkDepthMultiplier } from './base-depthwise-conv.js';
import { convChannelsLast, depthwiseChannelsLast } from './conv-ops.js';

/** Options of `SeparableConv1D` / `SeparableConv2D` besides `filters`. */
export interface SeparableConvArgs extends BaseConvArgs {
  /** Size of the depthwise window: an int or one int per spatial dimension (required). */
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
 * Depthwise convolution (`depthwise_kernel` `[...kernelSize, in, depthMultiplier]`, with the
 * layer's strides and dilation) then a pointwise convolution (`pointwise_kernel`
 * `[...ones, in * depthMultiplier, filters]`), bias and activation.
 */
export abstract class BaseSeparableConv extends BaseConv {
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

  constructor(rank: number, filters: number, args: SeparableConvArgs) {
    super(rank, args.kernelSize, args);
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
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [...this.kernelSize.map(() => 1), channels * this.depthMultiplier, this.filters], {
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
      const input = this.toChannelsLast(x);
      const padding = this.padding === 'same' ? 'same' : 'valid';
      const depthwise = depthwiseChannelsLast(input, this.depthwiseKernel!, { strides: this.strides, padding, dilation: this.dilationRate });
      const ones = this.kernelSize.map(() => 1);
      const y = convChannelsLast(depthwise, this.pointwiseKernel!, { strides: ones, padding: 'valid', dilation: ones, groups: 1 });
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
}
