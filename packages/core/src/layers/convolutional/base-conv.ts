/**
 * What every convolution layer shares (Keras `BaseConv` and its siblings): normalisation and
 * validation of `kernelSize` / `strides` / `dilationRate` / `padding` / `dataFormat`, the
 * channels-first ↔ channels-last transposes, bias and activation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationIdentifier,
} from '../../activations/index.js';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  resolveRegularizer,
} from '../weight-options.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';

export type { DataFormat };

/** Padding modes of convolutions; `causal` exists only for `Conv1D`. */
export type ConvPadding = 'valid' | 'same' | 'causal';

/** An int (same value for every spatial dimension) or one int per spatial dimension. */
export type IntOrTuple = number | readonly number[];

/**
 * Keras's `standardize_tuple`: an int becomes `rank` copies, a list must have `rank` ints.
 * Values must be > 0 (≥ 0 with `allowZero`). `where` names the layer in the error.
 */
export function normalizeTuple(
  value: IntOrTuple,
  rank: number,
  argument: string,
  where: string,
  allowZero = false,
): number[] {
  const expected = `an integer or a list of ${rank} integer${rank === 1 ? '' : 's'}`;
  let tuple: number[];
  if (typeof value === 'number') {
    tuple = Array.from({ length: rank }, () => value);
  } else if (Array.isArray(value)) {
    tuple = [...(value as number[])];
  } else {
    throw new ConfigurationError(`${where}: \`${argument}\` must be ${expected}, got ${JSON.stringify(value)}`);
  }
  if (tuple.length !== rank || !tuple.every((v) => Number.isInteger(v))) {
    throw new ConfigurationError(`${where}: \`${argument}\` must be ${expected}, got ${JSON.stringify(value)}`);
  }
  const bad = tuple.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    throw new ConfigurationError(
      `${where}: \`${argument}\` values must be ${allowZero ? '>= 0' : '> 0'}, got ${JSON.stringify(value)}`,
    );
  }
  return tuple;
}

/** Keras's `standardize_padding`: case-insensitive, checked against the valid modes (listed in the error). */
export function normalizePadding<T extends string>(value: string | undefined, valid: readonly T[], where: string): T {
  const padding = (value ?? 'valid').toLowerCase();
  const match = valid.find((p) => p === padding);
  if (match === undefined) {
    throw new ConfigurationError(
      `${where}: invalid padding "${String(value)}"; valid choices: ${valid.map((p) => `"${p}"`).join(', ')}`,
    );
  }
  return match;
}

/** Throws unless `value` (the argument named `argument`) is a positive integer; `where` names the layer. */
export function checkPositiveInteger(value: number, argument: string, where: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${where}: \`${argument}\` must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Initializer, regularizer and constraint of one kernel weight. */
export interface KernelSettings {
  initializer: Initializer;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** Resolves one kernel's initializer (default `glorot_uniform`), regularizer and constraint options. */
export function resolveKernelSettings(
  initializer: InitializerIdentifier | undefined,
  regularizer: RegularizerIdentifier | null | undefined,
  constraint: ConstraintIdentifier | null | undefined,
): KernelSettings {
  return {
    initializer: getInitializer(initializer ?? 'glorot_uniform'),
    regularizer: resolveRegularizer(regularizer),
    constraint: resolveConstraint(constraint),
  };
}

/** Options shared by every convolution layer. */
export interface BaseConvArgs extends LayerArgs {
  /** Stride of the window per spatial dimension (default 1). */
  strides?: IntOrTuple;
  /** `valid` (no padding, default) or `same` (output size ceil(input / stride)). */
  padding?: string;
  /** `channels_last` (`(batch, ..., channels)`) or `channels_first`; default: the global `imageDataFormat()`. */
  dataFormat?: DataFormat | string | null;
  /** Dilation of the kernel per spatial dimension (default 1); incompatible with strides > 1. */
  dilationRate?: IntOrTuple;
  /** Activation applied to the output (default none). */
  activation?: ActivationIdentifier;
  /** Whether a bias is added (default true). */
  useBias?: boolean;
  /** Initializer of the bias (default `zeros`). */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Projection applied to the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * Base of all convolution layers. Subclasses create their kernels in `build` and do the
 * convolution on channels-last tensors; this class validates arguments, handles
 * `channels_first` by transposing around the TF.js ops (which are NHWC-only on WASM/CPU),
 * and adds bias and activation.
 */
export abstract class BaseConv extends Layer {
  static override readonly optionKeys: readonly string[] = [
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'biasInitializer',
    'biasRegularizer',
    'biasConstraint',
  ];
  /** Number of spatial dimensions (1, 2 or 3). */
  readonly rank: number;
  /** Window size per spatial dimension. */
  readonly kernelSize: number[];
  /** Stride per spatial dimension. */
  readonly strides: number[];
  /** Padding mode (lower case). */
  readonly padding: ConvPadding;
  /** Where the channels axis is. */
  readonly dataFormat: DataFormat;
  /** Kernel dilation per spatial dimension. */
  readonly dilationRate: number[];
  /** Activation applied to the output. */
  readonly activation: ActivationFn;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Initializer of the bias. */
  readonly biasInitializer: Initializer;
  /** Penalty on the bias, if any. */
  readonly biasRegularizer: Regularizer | null;
  /** Projection of the bias after updates, if any. */
  readonly biasConstraint: Constraint | null;
  /** The bias weight, once built with `useBias`. */
  protected bias: tf.Variable | null = null;
  private readonly activationIdentifier: ActivationIdentifier;

  constructor(
    rank: number,
    kernelSize: IntOrTuple,
    args: BaseConvArgs,
    paddings: readonly ConvPadding[] = ['valid', 'same'],
  ) {
    super(args);
    const where = `${this.className} "${this.name}"`;
    if (kernelSize === undefined || kernelSize === null)
      throw new ConfigurationError(`${where}: \`kernelSize\` is required`);
    this.rank = rank;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', where);
    this.strides = normalizeTuple(args.strides ?? 1, rank, 'strides', where);
    this.dilationRate = normalizeTuple(args.dilationRate ?? 1, rank, 'dilationRate', where);
    this.padding = normalizePadding(args.padding, paddings, where);
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.activationIdentifier = args.activation ?? null;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ConfigurationError(
        `${where}: strides > 1 is not supported together with dilationRate > 1; ` +
          `got strides ${JSON.stringify(this.strides)} and dilationRate ${JSON.stringify(this.dilationRate)}`,
      );
    }
    this.inputSpec = { minNdim: rank + 2 };
  }

  /** `ClassName "name"`, for error messages. */
  protected get where(): string {
    return `${this.className} "${this.name}"`;
  }

  /** Channels of an input shape; must be known and the rank must be `rank + 2`. */
  protected inputChannels(inputShape: Shape): number {
    if (inputShape.length !== this.rank + 2) {
      throw new InputShapeError(
        `${this.where}: expected input of rank ${this.rank + 2} (batch, ${this.dataFormat === 'channels_last' ? 'spatial..., channels' : 'channels, spatial...'}), ` +
          `got shape ${formatShape(inputShape)}`,
      );
    }
    const channels = this.dataFormat === 'channels_last' ? inputShape[inputShape.length - 1] : inputShape[1];
    if (channels === null || channels === undefined) {
      throw new InputShapeError(
        `${this.where}: the channels dimension of the input must be known, got shape ${formatShape(inputShape)}`,
      );
    }
    return channels;
  }

  /** Fixes the input spec (rank and channel count) once the layer is built. */
  protected setChannelSpec(channels: number): void {
    this.inputSpec = { ndim: this.rank + 2, axes: { [this.dataFormat === 'channels_last' ? -1 : 1]: channels } };
  }

  /** Creates a kernel weight with its initializer, regularizer and constraint. */
  protected addKernel(name: string, shape: number[], settings: KernelSettings): tf.Variable {
    return this.addWeight(name, shape, settings).value;
  }

  /**
   * Creates the bias weight (when `useBias`).
   * @returns the weight, or null
   */
  protected addBias(size: number): tf.Variable | null {
    if (!this.useBias) return null;
    return this.addKernel('bias', [size], {
      initializer: this.biasInitializer,
      regularizer: this.biasRegularizer,
      constraint: this.biasConstraint,
    });
  }

  /** The convolution proper, on a channels-last input, before bias and activation. */
  protected abstract convolve(input: tf.Tensor): tf.Tensor;

  /**
   * The convolution with bias and activation in one fused kernel, or null (the default): then
   * {@link convolve} and {@link finish}. Subclasses override it where TF.js fuses the whole step.
   */
  protected convolveFused(_channelsLast: tf.Tensor): tf.Tensor | null {
    return null;
  }

  /** The activation as TF.js's fused kernels name it, when they can apply it (`relu` or none), else null. */
  protected fusedActivation(): 'relu' | 'linear' | null {
    const id = this.activationIdentifier;
    if (id === null || id === undefined || id === 'linear') return 'linear';
    return id === 'relu' ? 'relu' : null;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const channelsLast = this.toChannelsLast(x);
      const y = this.convolveFused(channelsLast) ?? this.finish(this.convolve(channelsLast), this.bias);
      return this.fromChannelsLast(y);
    });
  }

  /** Input in channels-last layout (a transpose for `channels_first`). */
  protected toChannelsLast(x: tf.Tensor): tf.Tensor {
    if (this.dataFormat === 'channels_last') return x;
    const perm = [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1];
    return tf.transpose(x, perm);
  }

  /** Output back in the layer's layout. */
  protected fromChannelsLast(y: tf.Tensor): tf.Tensor {
    if (this.dataFormat === 'channels_last') return y;
    const perm = [0, this.rank + 1, ...Array.from({ length: this.rank }, (_, i) => i + 1)];
    return tf.transpose(y, perm);
  }

  /** Bias and activation on a channels-last result. */
  protected finish(y: tf.Tensor, bias: tf.Variable | null): tf.Tensor {
    const withBias = bias === null ? y : tf.add(y, bias);
    return this.activation(withBias);
  }

  /** The config keys every convolution layer has (Keras order). */
  protected spatialConfig(): LayerConfig {
    return {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
    };
  }

  /** The activation / bias config keys (Keras order). */
  protected activationConfig(): LayerConfig {
    return { activation: serializeActivation(this.activationIdentifier), useBias: this.useBias };
  }

  /**
   * The initializer / regularizer / constraint config keys of the named kernels and the bias,
   * in Keras order: all initializers, all regularizers (then the activity regularizer), all
   * constraints; e.g. `{ kernel: ... }` gives `kernelInitializer, biasInitializer, kernelRegularizer, ...`.
   */
  protected weightSettingsConfig(kernels: Record<string, KernelSettings>): LayerConfig {
    const named = Object.entries(kernels);
    const config: LayerConfig = {};
    for (const [prefix, settings] of named) config[`${prefix}Initializer`] = initializerConfig(settings.initializer);
    config['biasInitializer'] = initializerConfig(this.biasInitializer);
    for (const [prefix, settings] of named) config[`${prefix}Regularizer`] = regularizerConfig(settings.regularizer);
    config['biasRegularizer'] = regularizerConfig(this.biasRegularizer);
    config['activityRegularizer'] = regularizerConfig(this.activityRegularizer);
    for (const [prefix, settings] of named) config[`${prefix}Constraint`] = constraintConfig(settings.constraint);
    config['biasConstraint'] = constraintConfig(this.biasConstraint);
    return config;
  }
}
