/**
 * What `Conv1DTranspose` and `Conv2DTranspose` share (Keras `BaseConvTranspose`): transposed
 * convolution ("deconvolution"), the gradient of a convolution with respect to its input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convTransposeOutputLength, type Shape } from '@strata/graph';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import type { LayerConfig } from '../../engine/layer.js';
import type { InitializerIdentifier } from '../../initializers/index.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import {
  BaseConv,
  checkPositiveInteger,
  normalizeTuple,
  resolveKernelSettings,
  type BaseConvArgs,
  type KernelSettings,
  type IntOrTuple,
} from './base-conv.js';
import { convTransposeChannelsLast } from './conv-ops.js';
import { ConfigurationError } from '../../utils/errors.js';

/** Options of `Conv1DTranspose` / `Conv2DTranspose` besides `filters`. */
export interface ConvTransposeArgs extends BaseConvArgs {
  /** Size of the window: an int or one int per spatial dimension (required). */
  kernelSize: IntOrTuple;
  /** Extra rows/cols added at the end of the output, each < the stride; `null` (default) infers the size. */
  outputPadding?: IntOrTuple | null;
  /** Initializer of the kernel (default `glorot_uniform`). */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Projection applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
}

/**
 * Transposed convolution with kernel `[...kernelSize, filters, inChannels]` (Keras layout) and
 * TensorFlow's output size: `valid` → (in - 1) * stride + k' (+ outputPadding),
 * `same` → in * stride, with k' the dilated kernel size.
 */
export abstract class BaseConvTranspose extends BaseConv {
  static override readonly optionKeys: readonly string[] = [
    'filters',
    'kernelSize',
    'outputPadding',
    'kernelInitializer',
    'kernelRegularizer',
    'kernelConstraint',
  ];
  /** Number of output channels. */
  readonly filters: number;
  readonly outputPadding: number[] | null;
  private kernel: tf.Variable | null = null;

  /** Initializer, regularizer and constraint of the kernel kernel. */
  readonly kernelSettings: KernelSettings;

  constructor(rank: number, filters: number, args: ConvTransposeArgs) {
    super(rank, args.kernelSize, args);
    this.filters = checkPositiveInteger(filters, 'filters', this.where);
    const outputPadding = args.outputPadding ?? null;
    this.outputPadding =
      outputPadding === null ? null : normalizeTuple(outputPadding, rank, 'outputPadding', this.where, true);
    this.outputPadding?.forEach((op, i) => {
      if (op >= this.strides[i]!) {
        throw new ConfigurationError(
          `${this.where}: \`outputPadding\` must be strictly less than \`strides\` in every dimension; ` +
            `got outputPadding ${JSON.stringify(this.outputPadding)} and strides ${JSON.stringify(this.strides)}`,
        );
      }
    });
    this.kernelSettings = resolveKernelSettings(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint);
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.kernel = this.addKernel('kernel', [...this.kernelSize, this.filters, channels], this.kernelSettings);
    this.bias = this.addBias(this.filters);
    this.setChannelSpec(channels);
  }

  protected convolve(input: tf.Tensor): tf.Tensor {
    const outputSize = input.shape
      .slice(1, -1)
      .map((n, i) =>
        convTransposeOutputLength(
          n,
          this.kernelSize[i]!,
          this.strides[i]!,
          this.padding,
          this.outputPadding?.[i] ?? null,
          this.dilationRate[i]!,
        )!,
      );
    const padding = this.padding === 'same' ? 'same' : 'valid';
    return convTransposeChannelsLast(input, this.kernel!, {
      strides: this.strides,
      padding,
      dilation: this.dilationRate,
      outputSize,
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      outputPadding: this.outputPadding === null ? null : [...this.outputPadding],
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      ...this.activationConfig(),
      ...this.weightSettingsConfig({ kernel: this.kernelSettings }),
    };
  }
}
