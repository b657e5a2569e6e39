/**
 * What `Conv1DTranspose` and `Conv2DTranspose` share (Keras `BaseConvTranspose`): transposed
 * convolution ("deconvolution"), the gradient of a convolution with respect to its input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convTransposeOutputLength, type Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import type { CallContext, LayerConfig } from '../../engine/layer.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  BaseConv,
  constraintConfig,
  initializerConfig,
  normalizeTuple,
  optionalConstraint,
  optionalRegularizer,
  regularizerConfig,
  type BaseConvArgs,
  type IntOrTuple,
} from './base-conv.js';
import { convTransposeChannelsLast } from './conv-ops.js';

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
  /** Number of output channels. */
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  private kernel: tf.Variable | null = null;
  private bias: tf.Variable | null = null;

  constructor(rank: number, filters: number, args: ConvTransposeArgs) {
    super(rank, args.kernelSize, args);
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`${this.where}: \`filters\` must be a positive integer, got ${String(filters)}`);
    }
    this.filters = filters;
    const outputPadding = args.outputPadding ?? null;
    this.outputPadding = outputPadding === null ? null : normalizeTuple(outputPadding, rank, 'outputPadding', this.where, true);
    this.outputPadding?.forEach((op, i) => {
      if (op >= this.strides[i]!) {
        throw new Error(
          `${this.where}: \`outputPadding\` must be strictly less than \`strides\` in every dimension; ` +
            `got outputPadding ${JSON.stringify(this.outputPadding)} and strides ${JSON.stringify(this.strides)}`,
        );
      }
    });
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.kernelRegularizer = optionalRegularizer(args.kernelRegularizer);
    this.kernelConstraint = optionalConstraint(args.kernelConstraint);
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    }).value;
    this.bias = this.addBias(this.filters);
    this.setChannelSpec(channels);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    void context;
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const input = this.toChannelsLast(x);
      const outputSize = input.shape.slice(1, -1).map((n, i) =>
        convTransposeOutputLength(n, this.kernelSize[i]!, this.strides[i]!, this.padding, this.outputPadding?.[i] ?? null, this.dilationRate[i]!)!,
      );
      const padding = this.padding === 'same' ? 'same' : 'valid';
      const y = convTransposeChannelsLast(input, this.kernel!, { strides: this.strides, padding, dilation: this.dilationRate, outputSize });
      return this.fromChannelsLast(this.finish(y, this.bias));
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
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      kernelRegularizer: regularizerConfig(this.kernelRegularizer),
      biasRegularizer: regularizerConfig(this.biasRegularizer),
      activityRegularizer: regularizerConfig(this.activityRegularizer),
      kernelConstraint: constraintConfig(this.kernelConstraint),
      biasConstraint: constraintConfig(this.biasConstraint),
    };
  }
}
