/**
 * `GaussianDropout(rate, {seed})`, as Keras 3: multiplicative noise N(1, rate / (1 - rate))
 * in training, identity at inference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { SeedGenerator } from '../../engine/seed-generator.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { validateRate } from './dropout.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GaussianDropout}. */
export interface GaussianDropoutArgs extends LayerArgs {
  seed?: number | null;
}

/** Multiplies the input by Gaussian noise with mean 1 and standard deviation `sqrt(rate / (1 - rate))`. */
export class GaussianDropout extends Layer {
  static override readonly className: string = 'GaussianDropout';
  static override readonly optionKeys: readonly string[] = ['rate', 'seed'];
  rate: number;
  readonly seed: number | null;
  private readonly seedGenerator: SeedGenerator;

  constructor(rate: number, args?: GaussianDropoutArgs);
  constructor(args: GaussianDropoutArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<GaussianDropoutArgs & { rate: number }>(new.target, params, ['rate']);
    super(args);
    this.rate = validateRate(rate);
    this.seed = args.seed ?? null;
    this.seedGenerator = new SeedGenerator(this.seed);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    if (context.training !== true || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.tidy(() => tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', this.seedGenerator.next())));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }

  static override fromConfig(config: LayerConfig): GaussianDropout {
    return new GaussianDropout(config['rate'] as number, config as GaussianDropoutArgs);
  }
}
registerLayer(GaussianDropout);
