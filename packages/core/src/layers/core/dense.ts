/**
 * `Dense`: `activation(dot(input, kernel) + bias)` over the last axis, as `keras.layers.Dense`.
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
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import type { LayerVariable } from '../../engine/variable.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  rejectQuantization,
  resolveRegularizer,
} from '../weight-options.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Activations computed inside TF.js's fused matMul (which has gradients for these). */
const FUSABLE = new Set(['linear', 'relu']);

/** Options of {@link Dense} (Keras defaults in brackets). */
export interface DenseArgs extends LayerArgs {
  /** Activation applied to the output [linear]. */
  activation?: ActivationIdentifier;
  /** Whether to add a bias vector [true]. */
  useBias?: boolean;
  /** Initializer of the kernel [`glorot_uniform`]. */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the bias [`zeros`]. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel [none]. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias [none]. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Constraint applied to the kernel after each update [none]. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Constraint applied to the bias after each update [none]. */
  biasConstraint?: ConstraintIdentifier | null;
  /** Written as null by Keras ≥ 3.12; quantized (int8/int4/float8/GPTQ) layers are not supported. */
  quantizationConfig?: null;
}

/**
 * A densely connected layer: `output = activation(dot(input, kernel) + bias)`. On inputs of
 * rank > 2 the kernel (shape `[inputDim, units]`) acts on the last axis, so
 * `(batch, d0, inputDim)` becomes `(batch, d0, units)`. Masks pass through.
 *
 * @example
 * ```ts
 * const hidden = new layers.Dense(64, { activation: 'relu', kernelInitializer: 'he_normal' });
 * const y = hidden.apply(Input([32])); // symbolic, shape [null, 64]
 * ```
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  static override readonly optionKeys: readonly string[] = [
    'units',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
    'quantizationConfig',
  ];
  /** Size of the output's last axis. */
  readonly units: number;
  /** Activation applied to the output. */
  readonly activation: ActivationFn;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The `[inputDim, units]` weight, once built. */
  kernel: LayerVariable | null = null;
  /** The `[units]` bias, once built (when `useBias`). */
  bias: LayerVariable | null = null;
  private readonly activationName: string;

  constructor(units: number, activation?: DenseArgs['activation'], args?: DenseArgs);
  constructor(units: number, args?: DenseArgs);
  constructor(args: DenseArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<DenseArgs & { units: number }>(new.target, params, ['units', 'activation']);
    super(args);
    rejectQuantization(args, this.name, 'Dense');
    if (!Number.isInteger(units) || units <= 0) {
      throw new ConfigurationError(
        `Layer "${this.name}" (Dense): units must be a positive integer, got ${String(units)}`,
      );
    }
    this.units = units;
    this.activation = getActivation(args.activation);
    this.activationName = serializeActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.inputSpec = { minNdim: 2 };
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new InputShapeError(
        `Layer "${this.name}" (Dense): the last axis of the input must be known, got shape ${formatShape(inputShape)}`,
      );
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], {
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = { minNdim: 2, axes: { [-1]: inputDim } };
  }

  /** Names the shape the layer was built for when a later input's last axis differs. */
  protected override assertInputCompatible(shapes: Shape[]): void {
    const built = this.builtInputShape as Shape | null;
    const expected = built?.[built.length - 1];
    for (const shape of shapes) {
      const actual = shape[shape.length - 1];
      if (built !== null && shape.length >= 2 && actual !== null && actual !== undefined && actual !== expected) {
        throw new InputShapeError(
          `Layer "${this.name}" (Dense) was built for input shape ${formatShape(built)} ` +
            `(last axis ${String(expected)}) but was called on shape ${formatShape(shape)} (last axis ${actual})`,
        );
      }
    }
    super.assertInputCompatible(shapes);
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const kernel = this.kernel!.value;
    const bias = this.bias?.value ?? null;
    return tf.tidy(() => {
      const input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const outShape = [...input.shape.slice(0, -1), this.units];
      const flat =
        input.rank === 2 ? (input as tf.Tensor2D) : (tf.reshape(input, [-1, kernel.shape[0]!]) as tf.Tensor2D);
      // One fused kernel for matmul + bias (+ relu); TF.js has fused gradients for linear and relu only.
      const fused = FUSABLE.has(this.activationName) && this.activation === getActivation(this.activationName);
      let y: tf.Tensor = tf.fused.matMul({
        a: flat,
        b: kernel as tf.Tensor2D,
        bias: bias ?? undefined,
        activation: fused ? (this.activationName as 'linear' | 'relu') : 'linear',
      });
      if (input.rank !== 2) y = tf.reshape(y, outShape);
      return fused ? y : this.activation(y);
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      kernelRegularizer: regularizerConfig(this.kernelRegularizer),
      biasRegularizer: regularizerConfig(this.biasRegularizer),
      kernelConstraint: constraintConfig(this.kernelConstraint),
      biasConstraint: constraintConfig(this.biasConstraint),
    };
  }

  static override fromConfig(config: LayerConfig): Dense {
    return new Dense(config['units'] as number, config as DenseArgs);
  }
}
registerLayer(Dense);
