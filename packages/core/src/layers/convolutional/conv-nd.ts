/**
 * The regular N-D convolution shared by `Conv1D`, `Conv2D` and `Conv3D` (the part of Keras's
 * `BaseConv` with `filters`, `groups` and the kernel options).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import type { InitializerIdentifier } from '../../initializers/index.js';
import type { LayerConfig } from '../../engine/layer.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import {
  BaseConv,
  checkPositiveInteger,
  resolveKernelSettings,
  type BaseConvArgs,
  type KernelSettings,
  type ConvPadding,
  type IntOrTuple,
} from './base-conv.js';
import { conv2dBiasRelu, hasConv2DBiasRelu } from '../../backend/fused/conv2d-bias-relu.js';
import { convChannelsLast } from './conv-ops.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';

/** Options of `Conv1D` / `Conv2D` / `Conv3D` besides `filters`. */
export interface ConvArgs extends BaseConvArgs {
  /** Size of the convolution window: an int or one int per spatial dimension (required). */
  kernelSize: IntOrTuple;
  /** Number of channel groups, each convolved with `filters / groups` filters (default 1). */
  groups?: number;
  /** Initializer of the kernel (default `glorot_uniform`). */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Projection applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
}

/** Base of `Conv1D`, `Conv2D`, `Conv3D`: kernel `[...kernelSize, inChannels / groups, filters]`, bias `[filters]`. */
export abstract class ConvND extends BaseConv {
  static override readonly optionKeys: readonly string[] = [
    'filters',
    'kernelSize',
    'groups',
    'kernelInitializer',
    'kernelRegularizer',
    'kernelConstraint',
  ];
  /** Number of output channels. */
  readonly filters: number;
  readonly groups: number;
  protected kernel: tf.Variable | null = null;

  /** Initializer, regularizer and constraint of the kernel kernel. */
  readonly kernelSettings: KernelSettings;

  constructor(rank: number, filters: number, args: ConvArgs, paddings?: readonly ConvPadding[]) {
    super(rank, args.kernelSize, args, paddings);
    this.filters = checkPositiveInteger(filters, 'filters', this.where);
    this.groups = checkPositiveInteger(args.groups ?? 1, 'groups', this.where);
    if (filters % this.groups !== 0) {
      throw new ConfigurationError(
        `${this.where}: \`filters\` (${filters}) must be divisible by \`groups\` (${this.groups})`,
      );
    }
    this.kernelSettings = resolveKernelSettings(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint);
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    if (channels % this.groups !== 0) {
      throw new InputShapeError(
        `${this.where}: input channels (${channels}) must be divisible by \`groups\` (${this.groups}); input shape [${inputShape.join(', ')}]`,
      );
    }
    // Validates the spatial sizes (e.g. a kernel larger than a `valid` input) before creating weights.
    this.computeOutputShape(inputShape);
    this.kernel = this.addKernel(
      'kernel',
      [...this.kernelSize, channels / this.groups, this.filters],
      this.kernelSettings,
    );
    this.bias = this.addBias(this.filters);
    this.setChannelSpec(channels);
  }

  protected convolve(channelsLast: tf.Tensor): tf.Tensor {
    let input = channelsLast;
    if (this.padding === 'causal') {
      // Causal: pad only the start of the time axis so output[t] never sees input[t + 1:].
      const left = this.dilationRate[0]! * (this.kernelSize[0]! - 1);
      input = tf.pad(input, [
        [0, 0],
        [left, 0],
        [0, 0],
      ]);
    }
    const padding = this.padding === 'causal' ? 'valid' : this.padding;
    return convChannelsLast(input, this.kernel!, {
      strides: this.strides,
      padding,
      dilation: this.dilationRate,
      groups: this.groups,
    });
  }

  /**
   * A plain 2-D convolution (no groups, dilation or causal padding) with `relu` or no activation runs
   * as one fused kernel: convolution, bias and activation together, in training too (a `relu` by
   * Strata's fused kernel where the backend has it, backend/fused/conv2d-bias-relu.ts: TF.js's
   * fused conv2d splits it into three ops while recording gradients).
   */
  protected override convolveFused(channelsLast: tf.Tensor): tf.Tensor | null {
    const activation = this.fusedActivation();
    const plain = this.groups === 1 && this.padding !== 'causal' && this.dilationRate.every((d) => d === 1);
    if (this.rank !== 2 || activation === null || !plain) return null;
    if (activation === 'relu' && hasConv2DBiasRelu()) {
      return conv2dBiasRelu(channelsLast as tf.Tensor4D, this.kernel! as tf.Tensor4D, this.bias, {
        strides: this.strides as [number, number],
        pad: this.padding as 'valid' | 'same',
      });
    }
    return tf.fused.conv2d({
      x: channelsLast as tf.Tensor4D,
      filter: this.kernel! as tf.Tensor4D,
      strides: this.strides as [number, number],
      pad: this.padding as 'valid' | 'same',
      bias: this.bias ?? undefined,
      activation,
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.spatialConfig(),
      groups: this.groups,
      ...this.activationConfig(),
      ...this.weightSettingsConfig({ kernel: this.kernelSettings }),
    };
  }
}
