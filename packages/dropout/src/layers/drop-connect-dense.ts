/**
 * `DropConnectDense(units, {rate, ...Dense options})`: a `Dense` layer regularised with
 * DropConnect (Wan, Zeiler, Zhang, LeCun & Fergus, ICML 2013): random *weights* are zeroed
 * instead of activations. Keras has no such layer.
 */
import type { Shape } from '@strata/graph';
import {
  Layer,
  SeedGenerator,
  layers,
  registerLayer,
  tf,
  type CallContext,
  type LayerConfig,
  type LayerVariable,
  type TensorOrList,
} from '../core-api.js';
import { DROPOUT_PACKAGE, checkRate, checkSeed } from './rate.js';
import { acceptedOptionKeys, layerArgs } from '../core-api.js';

type DenseArgs = layers.DenseArgs;
type Dense = InstanceType<typeof layers.Dense>;

/** Options of {@link DropConnectDense}: Dense's options plus the DropConnect rate and seed. */
export interface DropConnectDenseArgs extends DenseArgs {
  /** Fraction of kernel entries dropped in training [0.5]. */
  rate?: number;
  /** Seed of the kernel masks: a new mask every call, the same sequence for the same seed. */
  seed?: number | null;
}

const OWN_KEYS = ['name', 'trainable', 'dtype', 'inputShape', 'batchSize', 'activityRegularizer', 'rate', 'seed'];

/**
 * In training, each call draws one Bernoulli keep-mask over the kernel (shared by the batch),
 * zeroes the dropped entries and scales the kept ones by `1 / (1 − rate)` ("inverted" scaling,
 * so inference simply uses the kernel; the paper's Gaussian moment-matching inference is not
 * used). The bias is not dropped. Weights (`kernel`, `bias`), config keys and inference output
 * are Dense's; the Dense inside is an implementation detail.
 */
export class DropConnectDense extends Layer {
  static override readonly className: string = 'DropConnectDense';
  static override readonly optionKeys: readonly string[] = [
    'rate',
    'seed',
    ...(acceptedOptionKeys(layers.Dense) ?? []),
  ];
  readonly seed: number | null;
  private currentRate: number;
  private readonly seedGenerator: SeedGenerator;
  private readonly dense: Dense;

  constructor(units: number, args?: DropConnectDenseArgs);
  constructor(args: DropConnectDenseArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<DropConnectDenseArgs & { units: number }>(new.target, params, ['units']);
    super(args);
    const where = `Layer "${this.name}" (DropConnectDense)`;
    this.currentRate = checkRate(args.rate ?? 0.5, where);
    this.seed = checkSeed(args.seed, where);
    this.seedGenerator = new SeedGenerator(this.seed);
    const denseArgs: Record<string, unknown> = { ...args, name: `${this.name}_dense` };
    for (const key of OWN_KEYS) if (key !== 'name' && key !== 'dtype') delete denseArgs[key];
    this.dense = this.trackLayer(new layers.Dense(units, denseArgs as DenseArgs));
    this.supportsMasking = true;
  }

  /** Number of output units. */
  get units(): number {
    return this.dense.units;
  }

  /** The `[inputDim, units]` kernel, once built. */
  get kernel(): LayerVariable | null {
    return this.dense.kernel;
  }

  /** The bias, once built (when `useBias`). */
  get bias(): LayerVariable | null {
    return this.dense.bias;
  }

  /** Fraction of kernel entries dropped in training; settable between calls. */
  get rate(): number {
    return this.currentRate;
  }
  set rate(value: number) {
    this.currentRate = checkRate(value, `Layer "${this.name}" (DropConnectDense)`);
  }

  override build(inputShape: Shape | Shape[]): void {
    this.dense.maybeBuild(inputShape);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const kernel = this.dense.kernel;
    const run = (): tf.Tensor => this.dense.invoke(inputs, context) as tf.Tensor;
    if (context.training !== true || this.currentRate === 0 || kernel === null) return run();
    const rate = this.currentRate;
    const seed = this.seedGenerator.next();
    return tf.tidy(() => {
      const value = kernel.value;
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(value.shape, 0, 1, 'float32', seed), rate), 'float32');
      const dropped = rate >= 1 ? tf.zerosLike(value) : tf.mul(value, tf.div(keep, 1 - rate));
      // Dense reads `kernel.value`; show it the masked kernel for this call (gradients reach the variable).
      this.dense.kernel = Object.create(kernel, { value: { value: dropped } }) as LayerVariable;
      try {
        return run();
      } finally {
        this.dense.kernel = kernel;
      }
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return this.dense.computeOutputShape(inputShape);
  }

  override getConfig(): LayerConfig {
    const { name: _name, trainable: _trainable, dtype: _dtype, ...dense } = this.dense.getConfig();
    return { ...super.getConfig(), ...dense, rate: this.currentRate, seed: this.seed };
  }

  static override fromConfig(config: LayerConfig): DropConnectDense {
    return new DropConnectDense(config['units'] as number, config as DropConnectDenseArgs);
  }
}
registerLayer(DropConnectDense, { package: DROPOUT_PACKAGE });
