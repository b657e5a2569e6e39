/**
 * `Conv2DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 2-D convolution
 * ("deconvolution"), the gradient of `Conv2D` with respect to its input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convTransposeOutputLength, type Shape } from '@strata/graph';
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
  normalizeTuple,
  optionalConstraint,
  optionalRegularizer,
  regularizerConfig,
  type BaseConvArgs,
  type IntOrTuple,
} from './base-conv.js';
import { dilateKernel } from './conv-ops.js';

/** Options of {@link Conv2DTranspose}. */
export interface Conv2DTransposeArgs extends BaseConvArgs {
  /** Size of the window: an int or `[rows, cols]` (required). */
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
 * Transposed 2-D convolution with kernel `[kh, kw, filters, inChannels]` (Keras layout) and
 * TensorFlow's output size: `valid` → (in - 1) * stride + k' (+ outputPadding),
 * `same` → in * stride, with k' the dilated kernel size. Keras: `keras.layers.Conv2DTranspose`.
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly className: string = 'Conv2DTranspose';
  /** Number of output channels. */
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  private kernel: tf.Variable | null = null;
  private bias: tf.Variable | null = null;

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv2DTransposeArgs) {
    super(2, args.kernelSize, args);
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`${this.where}: \`filters\` must be a positive integer, got ${String(filters)}`);
    }
    this.filters = filters;
    const outputPadding = args.outputPadding ?? null;
    this.outputPadding = outputPadding === null ? null : normalizeTuple(outputPadding, 2, 'outputPadding', this.where, true);
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
      const input = this.toChannelsLast(x) as tf.Tensor4D;
      const [batch, rows, cols] = input.shape;
      const outSize = [rows, cols].map((n, i) =>
        convTransposeOutputLength(n, this.kernelSize[i]!, this.strides[i]!, this.padding, this.outputPadding?.[i] ?? null, this.dilationRate[i]!),
      ) as [number, number];
      // TF.js's transposed convolution has no dilation; a spread kernel is equivalent.
      const kernel = dilateKernel(this.kernel!, this.dilationRate) as tf.Tensor4D;
      const padding = this.padding === 'same' ? 'same' : 'valid';
      const y = tf.conv2dTranspose(input, kernel, [batch, outSize[0], outSize[1], this.filters], this.strides as [number, number], padding);
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

  static override fromConfig(config: LayerConfig): Conv2DTranspose {
    return new Conv2DTranspose(config['filters'] as number, config as unknown as Conv2DTransposeArgs);
  }
}

registerLayer(Conv2DTranspose);
