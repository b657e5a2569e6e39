/**
 * `StochasticDepth(rate, {seed})` (alias `DropPath`): drops a whole residual branch per sample
 * (Huang, Sun, Liu, Sedra & Weinberger, "Deep Networks with Stochastic Depth", ECCV 2016).
 * Put it on the branch, before the `Add` with the shortcut, so a dropped block is bypassed by
 * the identity (lint rule `stochastic-depth-outside-residual`). Keras has no such layer.
 */
import type { Shape } from '@strata/graph';
import {
  Layer,
  SeedGenerator,
  registerLayer,
  tf,
  type CallContext,
  type LayerArgs,
  type LayerConfig,
  type TensorOrList,
} from '../core-api.js';
import { DROPOUT_PACKAGE, checkRate, checkSeed } from './rate.js';
import { layerArgs } from '../core-api.js';

/** Options of {@link StochasticDepth}. */
export interface StochasticDepthArgs extends LayerArgs {
  /** Seed of the per-sample draws: a new draw every call, the same sequence for the same seed. */
  seed?: number | null;
}

/**
 * In training, each sample's branch output is kept with probability `1 − rate` and then scaled
 * by `1 / (1 − rate)` (so the expectation equals the input), or zeroed entirely; at inference it
 * is the identity. `rate` may be changed between calls (e.g. a linear schedule over depth or epochs).
 */
export class StochasticDepth extends Layer {
  static override readonly className: string = 'StochasticDepth';
  static override readonly optionKeys: readonly string[] = ['rate', 'seed'];
  readonly seed: number | null;
  private currentRate: number;
  private readonly seedGenerator: SeedGenerator;

  constructor(rate: number, args?: StochasticDepthArgs);
  constructor(args: StochasticDepthArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<StochasticDepthArgs & { rate: number }>(new.target, params, ['rate']);
    super(args);
    this.currentRate = checkRate(rate, this.where);
    this.seed = checkSeed(args.seed, this.where);
    this.seedGenerator = new SeedGenerator(this.seed);
    this.supportsMasking = true;
  }

  private get where(): string {
    return `Layer "${this.name}" (${this.className})`;
  }

  /** Probability of dropping a sample's branch, in [0, 1]; settable between calls. */
  get rate(): number {
    return this.currentRate;
  }
  set rate(value: number) {
    this.currentRate = checkRate(value, this.where);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (context.training !== true || this.currentRate === 0) return x;
    if (this.currentRate >= 1) return tf.zerosLike(x);
    const seed = this.seedGenerator.next();
    const keepProbability = 1 - this.currentRate;
    return tf.tidy(() => {
      const perSample = [x.shape[0]!, ...x.shape.slice(1).map(() => 1)];
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(perSample, 0, 1, 'float32', seed), this.currentRate),
        x.dtype,
      );
      return tf.mul(x, tf.div(keep, keepProbability));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.currentRate, seed: this.seed };
  }

  static override fromConfig(config: LayerConfig): StochasticDepth {
    return new StochasticDepth(config['rate'] as number, config as StochasticDepthArgs);
  }
}
registerLayer(StochasticDepth, { package: DROPOUT_PACKAGE });

/** `DropPath`: the name timm and keras_cv use for {@link StochasticDepth} on a residual branch. */
export class DropPath extends StochasticDepth {
  static override readonly className: string = 'DropPath';
  static override readonly optionKeys: readonly string[] = [];

  static override fromConfig(config: LayerConfig): DropPath {
    return new DropPath(config['rate'] as number, config as StochasticDepthArgs);
  }
}
registerLayer(DropPath, { package: DROPOUT_PACKAGE });
