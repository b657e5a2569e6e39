/**
 * `DropBlock2D(rate, {blockSize, dataFormat, seed})`: structured dropout for convolutional
 * feature maps (Ghiasi, Lin & Le, "DropBlock", NeurIPS 2018). Keras has no such layer.
 */
import type { Shape } from '@strata/graph';
import {
  Layer,
  SeedGenerator,
  registerLayer,
  standardizeDataFormat,
  tf,
  type CallContext,
  type DataFormat,
  type LayerArgs,
  type LayerConfig,
  type TensorOrList,
} from '../core-api.js';
import { DROPOUT_PACKAGE, checkRate, checkSeed } from './rate.js';
import { layerArgs } from '../core-api.js';

/** Options of {@link DropBlock2D}. */
export interface DropBlock2DArgs extends LayerArgs {
  /** Side of the square blocks dropped [7]; clamped to the feature map when larger. */
  blockSize?: number;
  /** `channels_last` (default: the global image data format) or `channels_first`. */
  dataFormat?: DataFormat | null;
  /** Seed of the block masks: a new mask every call, the same sequence for the same seed. */
  seed?: number | null;
}

/**
 * The paper's γ: the Bernoulli rate of block centres such that about `rate` of the units
 * are dropped, `rate / b² · (H·W) / ((H − b + 1)(W − b + 1))`.
 */
export function dropBlockGamma(rate: number, blockSize: number, height: number, width: number): number {
  return (rate / (blockSize * blockSize)) * ((height * width) / ((height - blockSize + 1) * (width - blockSize + 1)));
}

/**
 * Drops contiguous `blockSize × blockSize` squares of each feature map in training and
 * rescales the rest by `count(units) / count(kept units)`; the identity at inference.
 * Block centres are drawn only where the whole block fits (Algorithm 1 of the paper),
 * independently per sample and channel. `rate` may be changed between calls (schedules; the paper
 * ramps it up linearly). keras_cv advises rates 0.05–0.25 after the activation of later stages (lint
 * rules `dropblock-rate-range`, `dropblock-block-size-too-large`); a block larger than the feature
 * map is clamped to it here instead of producing NaNs.
 */
export class DropBlock2D extends Layer {
  static override readonly className: string = 'DropBlock2D';
  static override readonly optionKeys: readonly string[] = ['rate', 'blockSize', 'dataFormat', 'seed'];
  readonly blockSize: number;
  readonly dataFormat: DataFormat;
  readonly seed: number | null;
  private currentRate: number;
  private readonly seedGenerator: SeedGenerator;

  constructor(rate: number, blockSize?: number, args?: DropBlock2DArgs);
  constructor(rate: number, args?: DropBlock2DArgs);
  constructor(args: DropBlock2DArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<DropBlock2DArgs & { rate: number }>(new.target, params, ['rate', 'blockSize']);
    super(args);
    const where = `Layer "${this.name}" (DropBlock2D)`;
    this.currentRate = checkRate(rate, where);
    const blockSize = args.blockSize ?? 7;
    if (!Number.isInteger(blockSize) || blockSize < 1) {
      throw new Error(`${where}: blockSize must be a positive integer, got ${String(blockSize)}`);
    }
    this.blockSize = blockSize;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.seed = checkSeed(args.seed, where);
    this.seedGenerator = new SeedGenerator(this.seed);
    this.inputSpec = { ndim: 4 };
    this.supportsMasking = true;
  }

  /** Fraction of units to drop, in [0, 1]; settable between calls. */
  get rate(): number {
    return this.currentRate;
  }
  set rate(value: number) {
    this.currentRate = checkRate(value, `Layer "${this.name}" (DropBlock2D)`);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (context.training !== true || this.currentRate === 0) return x;
    const seed = this.seedGenerator.next();
    return tf.tidy(() => {
      const nhwc = this.dataFormat === 'channels_first' ? tf.transpose(x, [0, 2, 3, 1]) : x;
      const keep = this.keepMask(nhwc.shape as [number, number, number, number], seed);
      // Renormalise by the count of kept units over the whole batch (the paper's count(M)/count_ones(M)).
      const kept = tf.sum(keep);
      const scale = tf.div(tf.scalar(keep.size), tf.maximum(kept, 1));
      const out = tf.mul(tf.mul(nhwc, keep), scale);
      return this.dataFormat === 'channels_first' ? tf.transpose(out, [0, 3, 1, 2]) : out;
    });
  }

  /** The 0/1 mask of kept units for an NHWC shape. */
  private keepMask([batch, height, width, channels]: [number, number, number, number], seed: number): tf.Tensor4D {
    if (this.currentRate >= 1) return tf.zeros([batch, height, width, channels]);
    const block = Math.min(this.blockSize, height, width);
    const gamma = Math.min(1, dropBlockGamma(this.currentRate, block, height, width));
    // 'same' max pooling spreads a centre at s over [s - after, s + before]; centres whose block fits:
    const before = Math.floor((block - 1) / 2);
    const after = block - 1 - before;
    const validHeight = height - block + 1;
    const validWidth = width - block + 1;
    const valid = tf.pad(tf.ones([1, validHeight, validWidth, 1]), [
      [0, 0],
      [after, before],
      [after, before],
      [0, 0],
    ]);
    const uniform = tf.randomUniform([batch, height, width, channels], 0, 1, 'float32', seed);
    const centres = tf.mul(tf.cast(tf.less(uniform, gamma), 'float32'), valid) as tf.Tensor4D;
    const dropped = block === 1 ? centres : tf.maxPool(centres, [block, block], 1, 'same');
    return tf.sub(1, dropped);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      rate: this.currentRate,
      blockSize: this.blockSize,
      dataFormat: this.dataFormat,
      seed: this.seed,
    };
  }

  static override fromConfig(config: LayerConfig): DropBlock2D {
    return new DropBlock2D(config['rate'] as number, config as DropBlock2DArgs);
  }
}
registerLayer(DropBlock2D, { package: DROPOUT_PACKAGE });
