/**
 * `GaussianNoise(stddev, {seed})`, as Keras 3: additive zero-mean noise in training,
 * identity at inference. Keras requires `0 <= stddev <= 1`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { SeedGenerator } from '../../engine/seed-generator.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { validateRate } from './dropout.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GaussianNoise}. */
export interface GaussianNoiseArgs extends LayerArgs {
  seed?: number | null;
}

/** Adds N(0, stddev²) noise to the input in training. */
export class GaussianNoise extends Layer {
  static override readonly className: string = 'GaussianNoise';
  static override readonly optionKeys: readonly string[] = ['stddev', 'seed'];
  stddev: number;
  readonly seed: number | null;
  private readonly seedGenerator: SeedGenerator;

  constructor(stddev: number, args?: GaussianNoiseArgs);
  constructor(args: GaussianNoiseArgs & { stddev: number });
  constructor(...params: unknown[]) {
    const { stddev, ...args } = layerArgs<GaussianNoiseArgs & { stddev: number }>(new.target, params, ['stddev']);
    super(args);
    this.stddev = validateRate(stddev, 'stddev');
    this.seed = args.seed ?? null;
    this.seedGenerator = new SeedGenerator(this.seed);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    if (context.training !== true || this.stddev === 0) return x;
    return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', this.seedGenerator.next())));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }

  static override fromConfig(config: LayerConfig): GaussianNoise {
    return new GaussianNoise(config['stddev'] as number, config as GaussianNoiseArgs);
  }
}
registerLayer(GaussianNoise);
