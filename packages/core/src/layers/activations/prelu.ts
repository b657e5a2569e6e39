/**
 * `PReLU`: leaky ReLU with a learned slope per element, as `keras.layers.PReLU`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
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
  resolveRegularizer,
} from '../weight-options.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link PReLU} (Keras defaults in brackets). */
export interface PReLUArgs extends LayerArgs {
  /** Initializer of the slopes [`Zeros`]. */
  alphaInitializer?: InitializerIdentifier;
  /** Penalty on the slopes [none]. */
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Constraint on the slopes [none]. */
  alphaConstraint?: ConstraintIdentifier | null;
  /** Axes (1-based, batch is 0) along which one slope is shared, e.g. `[1, 2]` for per-channel slopes on images [none]. */
  sharedAxes?: number | number[] | null;
}

/** `f(x) = x` for `x ≥ 0`, `alpha * x` below, with `alpha` learned (shape: input shape without batch, shared axes set to 1). Masks pass through. */
export class PReLU extends Layer {
  static override readonly className: string = 'PReLU';
  static override readonly optionKeys: readonly string[] = [
    'alphaInitializer',
    'alphaRegularizer',
    'alphaConstraint',
    'sharedAxes',
  ];
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  /** Axes sharing one slope, or null. */
  readonly sharedAxes: number[] | null;
  /** The slopes, once built. */
  alpha: LayerVariable | null = null;

  constructor(alphaInitializer?: PReLUArgs['alphaInitializer'], args?: PReLUArgs);
  constructor(args?: PReLUArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<PReLUArgs>(new.target, params, ['alphaInitializer']);
    super(args);
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'Zeros');
    this.alphaRegularizer = resolveRegularizer(args.alphaRegularizer);
    this.alphaConstraint = resolveConstraint(args.alphaConstraint);
    const shared = args.sharedAxes;
    this.sharedAxes = shared === null || shared === undefined ? null : Array.isArray(shared) ? [...shared] : [shared];
    for (const axis of this.sharedAxes ?? []) {
      if (!Number.isInteger(axis) || axis < 1) {
        throw new ConfigurationError(
          `Layer "${this.name}" (PReLU): sharedAxes entries must be integers ≥ 1 (axis 0 is the batch), got [${this.sharedAxes!.join(', ')}]`,
        );
      }
    }
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const paramShape = inputShape.slice(1);
    for (const axis of this.sharedAxes ?? []) {
      if (axis >= inputShape.length) {
        throw new InputShapeError(
          `Layer "${this.name}" (PReLU): sharedAxes [${this.sharedAxes!.join(', ')}] out of range for input shape ${formatShape(inputShape)}`,
        );
      }
      paramShape[axis - 1] = 1;
    }
    if (paramShape.some((d) => d === null)) {
      throw new InputShapeError(
        `Layer "${this.name}" (PReLU): every non-shared axis must have a known size to create alpha; ` +
          `got input shape ${formatShape(inputShape)}; set sharedAxes for the unknown axes`,
      );
    }
    this.alpha = this.addWeight('alpha', paramShape as number[], {
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    const axes: Record<number, number> = {};
    if (this.sharedAxes !== null && this.sharedAxes.length > 0) {
      for (let i = 1; i < inputShape.length; i++) {
        if (!this.sharedAxes.includes(i)) axes[i] = inputShape[i]!;
      }
    }
    this.inputSpec = { ndim: inputShape.length, axes };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const alpha = this.alpha!.value;
    return tf.tidy(() => tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x)))));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: initializerConfig(this.alphaInitializer),
      alphaRegularizer: regularizerConfig(this.alphaRegularizer),
      alphaConstraint: constraintConfig(this.alphaConstraint),
      sharedAxes: this.sharedAxes === null ? null : [...this.sharedAxes],
    };
  }
}
registerLayer(PReLU);
