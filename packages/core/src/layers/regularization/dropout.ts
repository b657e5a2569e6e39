/**
 * `Dropout(rate, {noiseShape, seed})`, exactly as Keras 3: inverted dropout in training,
 * the identity at inference, a new mask on every call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { SeedGenerator } from '../../engine/seed-generator.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { concreteNoiseShape, dropoutNoise, type NoiseShape } from './dropout-noise.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Shape of the binary mask; `null` entries are filled from the input (e.g. `[null, 1, null]` shares a mask over time). */
  noiseShape?: (number | null)[] | null;
  /** Seed for reproducible masks: each call draws a new mask, the sequence repeats for the same seed. */
  seed?: number | null;
}

/** Checks a rate the way Keras does, with Keras's message. */
export function validateRate(rate: number, argument = 'rate'): number {
  if (typeof rate !== 'number' || Number.isNaN(rate) || !(rate >= 0 && rate <= 1)) {
    throw new ConfigurationError(
      `Invalid value received for argument \`${argument}\`. Expected a float value between 0 and 1. Received: ${argument}=${rate}`,
    );
  }
  return rate;
}

function validateNoiseShape(noiseShape: (number | null)[] | null | undefined): NoiseShape {
  if (noiseShape === null || noiseShape === undefined) return null;
  if (!Array.isArray(noiseShape)) {
    throw new ConfigurationError(
      `Invalid value received for argument \`noise_shape\`. Expected a tuple or list of integers. Received: noise_shape=${String(noiseShape)}`,
    );
  }
  noiseShape.forEach((d, i) => {
    if (d === null) return;
    if (!Number.isInteger(d)) {
      throw new ConfigurationError(
        `Invalid value received for argument \`noise_shape\`. Expected all elements to be integers or None. Received element at index ${i}: ${String(d)}`,
      );
    }
    if (d <= 0) {
      throw new ConfigurationError(
        `Invalid value received for argument \`noise_shape\`. Expected all dimensions to be positive integers or None. Received negative or zero value at index ${i}: ${d}`,
      );
    }
  });
  return noiseShape;
}

/**
 * Randomly sets input units to 0 with frequency `rate` in training, scaling the rest by `1 / (1 - rate)`.
 *
 * @example
 * ```ts
 * new layers.Dropout(0.5); // after a hidden Dense
 * new layers.Dropout(0.3, { noiseShape: [null, 1, null] }); // one mask for every time step of a sequence
 * ```
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  static override readonly optionKeys: readonly string[] = ['rate', 'noiseShape', 'seed'];
  /** Fraction of the units to drop, in [0, 1]. Settable (e.g. by a rate schedule) between calls. */
  rate: number;
  /** The seed given at construction. */
  readonly seed: number | null;
  /** The noise shape given at construction. */
  readonly noiseShape: NoiseShape;
  /** Draws a new seed for every call. */
  protected readonly seedGenerator: SeedGenerator;

  constructor(rate: number, noiseShape?: DropoutArgs['noiseShape'], args?: DropoutArgs);
  constructor(rate: number, args?: DropoutArgs);
  constructor(args: DropoutArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<DropoutArgs & { rate: number }>(new.target, params, ['rate', 'noiseShape']);
    super(args);
    this.rate = validateRate(rate);
    this.seed = args.seed ?? null;
    this.noiseShape = validateNoiseShape(args.noiseShape);
    this.seedGenerator = new SeedGenerator(this.seed);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    if (context.training !== true || this.rate === 0) return x;
    return dropoutNoise(x, this.rate, this.noiseShapeFor(x), this.seedGenerator.next());
  }

  /** The concrete mask shape for an input; spatial variants override it. */
  protected noiseShapeFor(x: tf.Tensor): number[] {
    return concreteNoiseShape(x, this.noiseShape);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      rate: this.rate,
      seed: this.seed,
      noiseShape: this.noiseShape === null ? null : [...this.noiseShape],
    };
  }

  static override fromConfig(config: LayerConfig): Dropout {
    return new Dropout(config['rate'] as number, config as DropoutArgs);
  }
}
registerLayer(Dropout);
