/**
 * What `DepthwiseConv1D` and `DepthwiseConv2D` share (Keras `BaseDepthwiseConv`). As in Keras 3,
 * the first positional argument is `kernelSize` and the weight is named `kernel`.
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
import { depthwiseChannelsLast } from './conv-ops.js';

/** Checks Keras's `depth_multiplier` (a positive integer). */
export function checkDepthMultiplier(value: number, where: string): number {
  return checkPositiveInteger(value, 'depthMultiplier', where);
}

/** Options of `DepthwiseConv1D` / `DepthwiseConv2D`. */
export interface DepthwiseConvArgs extends BaseConvArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel (default `glorot_uniform`). */
  depthwiseInitializer?: InitializerIdentifier;
  /** Penalty on the depthwise kernel. */
  depthwiseRegularizer?: RegularizerIdentifier | null;
  /** Projection applied to the depthwise kernel after each update. */
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * Convolves each input channel with its own `depthMultiplier` filters (no mixing across
 * channels). Kernel `[...kernelSize, inChannels, depthMultiplier]`; output channel
 * `c * depthMultiplier + m` comes from input channel `c`.
 */
export abstract class BaseDepthwiseConv extends BaseConv {
  static override readonly optionKeys: readonly string[] = [
    'kernelSize',
    'depthMultiplier',
    'depthwiseInitializer',
    'depthwiseRegularizer',
    'depthwiseConstraint',
  ];
  readonly depthMultiplier: number;
  private kernel: tf.Variable | null = null;

  /** Initializer, regularizer and constraint of the depthwise kernel. */
  readonly depthwiseSettings: KernelSettings;

  constructor(rank: number, kernelSize: IntOrTuple, args: DepthwiseConvArgs) {
    super(rank, kernelSize, args);
    this.depthMultiplier = checkDepthMultiplier(args.depthMultiplier ?? 1, this.where);
    this.depthwiseSettings = resolveKernelSettings(
      args.depthwiseInitializer,
      args.depthwiseRegularizer,
      args.depthwiseConstraint,
    );
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.computeOutputShape(inputShape);
    this.kernel = this.addKernel(
      'kernel',
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseSettings,
    );
    this.bias = this.addBias(channels * this.depthMultiplier);
    this.setChannelSpec(channels);
  }

  protected convolve(input: tf.Tensor): tf.Tensor {
    const padding = this.padding === 'same' ? 'same' : 'valid';
    return depthwiseChannelsLast(input, this.kernel!, { strides: this.strides, padding, dilation: this.dilationRate });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      ...this.spatialConfig(),
      ...this.activationConfig(),
      ...this.weightSettingsConfig({ depthwise: this.depthwiseSettings }),
    };
  }
}
