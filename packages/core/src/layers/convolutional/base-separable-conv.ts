/**
 * What `SeparableConv1D` and `SeparableConv2D` share (Keras `BaseSeparableConv`): a depthwise
 * convolution followed by a pointwise (kernel size 1) convolution.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import type { LayerConfig } from '../../engine/layer.js';
import type { InitializerIdentifier } from '../../initializers/index.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import {
  BaseConv,
  checkPositiveInteger,
  resolveKernelSettings,
  type BaseConvArgs,
  type KernelSettings,
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
  static override readonly optionKeys: readonly string[] = [
    'filters',
    'kernelSize',
    'depthMultiplier',
    'depthwiseInitializer',
    'pointwiseInitializer',
    'depthwiseRegularizer',
    'pointwiseRegularizer',
    'depthwiseConstraint',
    'pointwiseConstraint',
  ];
  /** Number of output channels. */
  readonly filters: number;
  readonly depthMultiplier: number;
  private depthwiseKernel: tf.Variable | null = null;
  private pointwiseKernel: tf.Variable | null = null;

  /** Initializer, regularizer and constraint of the depthwise kernel. */
  readonly depthwiseSettings: KernelSettings;
  /** Initializer, regularizer and constraint of the pointwise kernel. */
  readonly pointwiseSettings: KernelSettings;

  constructor(rank: number, filters: number, args: SeparableConvArgs) {
    super(rank, args.kernelSize, args);
    this.depthMultiplier = checkDepthMultiplier(args.depthMultiplier ?? 1, this.where);
    this.filters = checkPositiveInteger(filters, 'filters', this.where);
    this.depthwiseSettings = resolveKernelSettings(
      args.depthwiseInitializer,
      args.depthwiseRegularizer,
      args.depthwiseConstraint,
    );
    this.pointwiseSettings = resolveKernelSettings(
      args.pointwiseInitializer,
      args.pointwiseRegularizer,
      args.pointwiseConstraint,
    );
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.computeOutputShape(inputShape);
    this.depthwiseKernel = this.addKernel(
      'depthwise_kernel',
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseSettings,
    );
    const ones = this.kernelSize.map(() => 1);
    this.pointwiseKernel = this.addKernel(
      'pointwise_kernel',
      [...ones, channels * this.depthMultiplier, this.filters],
      this.pointwiseSettings,
    );
    this.bias = this.addBias(this.filters);
    this.setChannelSpec(channels);
  }

  protected convolve(input: tf.Tensor): tf.Tensor {
    const padding = this.padding === 'same' ? 'same' : 'valid';
    const depthwise = depthwiseChannelsLast(input, this.depthwiseKernel!, {
      strides: this.strides,
      padding,
      dilation: this.dilationRate,
    });
    const ones = this.kernelSize.map(() => 1);
    return convChannelsLast(depthwise, this.pointwiseKernel!, {
      strides: ones,
      padding: 'valid',
      dilation: ones,
      groups: 1,
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      filters: this.filters,
      ...this.spatialConfig(),
      ...this.activationConfig(),
      ...this.weightSettingsConfig({ depthwise: this.depthwiseSettings, pointwise: this.pointwiseSettings }),
    };
  }
}
