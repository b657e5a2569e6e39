/**
 * `Normalization`: shifts and scales features by a mean and variance given or learned by
 * `adapt`, as `keras.layers.Normalization`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import type { LayerVariable } from '../../engine/variable.js';
import { adaptBatches, type AdaptData } from './adapt-data.js';
import { layerArgs } from '../../engine/layer-options.js';
import { ConfigurationError, DataError, InputShapeError } from '../../utils/errors.js';

/** Nested numbers (a scalar or an array of any rank). */
export type NestedNumbers = number | NestedNumbers[];

/** Options of {@link Normalization} (Keras defaults in brackets). */
export interface NormalizationArgs extends LayerArgs {
  /** Axis or axes that keep their own mean and variance [-1]; `null` for one over everything. */
  axis?: number | readonly number[] | null;
  /** A fixed mean (broadcast over the kept axes); with `variance`, instead of `adapt`. */
  mean?: NestedNumbers | null;
  /** A fixed variance, same shape as `mean`. */
  variance?: NestedNumbers | null;
  /** Undo the normalization: `mean + x * sqrt(variance)` [false]. */
  invert?: boolean;
}

const EPSILON = 1e-7;

function shapeOfNested(value: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0]!;
  }
  return shape;
}

/**
 * `(x - mean) / max(sqrt(variance), 1e-7)` per position of the kept `axis` (or the inverse).
 * Learn mean and variance with `await layer.adapt(data)` (a tensor, an array or an iterable of
 * batches), or give both. Adapted statistics are the non-trainable variables `mean`, `variance`
 * and `count`, saved as Keras saves them.
 */
export class Normalization extends Layer {
  static override readonly className: string = 'Normalization';
  static override readonly optionKeys: readonly string[] = ['axis', 'mean', 'variance', 'invert'];
  /** The kept axes, as given (negative allowed). */
  readonly axis: number[];
  /** Whether the layer undoes a normalization. */
  readonly invert: boolean;
  /** The mean given at construction, or null (adapted). */
  readonly inputMean: NestedNumbers | null;
  /** The variance given at construction, or null (adapted). */
  readonly inputVariance: NestedNumbers | null;
  /** Adapted mean (non-trainable variable `mean`), once built. */
  adaptMean: LayerVariable | null = null;
  /** Adapted variance (non-trainable variable `variance`), once built. */
  adaptVariance: LayerVariable | null = null;
  /** Keras's `count` variable (kept for file compatibility; adapt leaves it 0, as Keras). */
  count: LayerVariable | null = null;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private fixed: { mean: tf.Tensor; variance: tf.Tensor } | null = null;

  constructor(axis?: number | readonly number[] | null, mean?: NestedNumbers | null, args?: NormalizationArgs);
  constructor(axis?: number | readonly number[] | null, args?: NormalizationArgs);
  constructor(args?: NormalizationArgs);
  constructor(...params: unknown[]) {
    // Keras's leading positional arguments: Normalization(axis, mean).
    const args = layerArgs<NormalizationArgs>(new.target, params, ['axis', 'mean']);
    super(args);
    const where = `Layer "${this.name}" (Normalization)`;
    const axis = args.axis === undefined ? -1 : args.axis;
    this.axis = axis === null ? [] : typeof axis === 'number' ? [axis] : [...axis];
    this.invert = args.invert ?? false;
    this.inputMean = args.mean ?? null;
    this.inputVariance = args.variance ?? null;
    this.supportsMasking = true;
    if ((this.inputMean === null) !== (this.inputVariance === null)) {
      throw new ConfigurationError(`${where}: give both mean and variance, or neither (then call adapt)`);
    }
    if (this.inputMean !== null) {
      const meanShape = shapeOfNested(this.inputMean);
      const varianceShape = shapeOfNested(this.inputVariance!);
      if (meanShape.join() !== varianceShape.join()) {
        throw new ConfigurationError(
          `${where}: mean and variance must have the same shape; got [${meanShape.join(', ')}] and [${varianceShape.join(', ')}]`,
        );
      }
      if (meanShape.length > this.axis.length) {
        throw new ConfigurationError(
          `${where}: the rank of mean (${meanShape.length}) must be at most the number of axes (${this.axis.length})`,
        );
      }
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const ndim = shape.length;
    const where = `Layer "${this.name}" (Normalization)`;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new InputShapeError(
        `${where}: axis values must be in [-${ndim}, ${ndim}) for inputs of rank ${ndim}; got axis [${this.axis.join(', ')}]`,
      );
    }
    this.keepAxes = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    for (const d of this.keepAxes) {
      if (shape[d] === null)
        throw new InputShapeError(
          `${where}: kept axis ${d} must have a known size; got input shape [${shape.map(String).join(', ')}]`,
        );
    }
    this.broadcastShape = shape.map((size, d) => (this.keepAxes.includes(d) ? size! : 1));
    const statShape = this.keepAxes.map((d) => shape[d]!);
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight('mean', statShape, { initializer: 'zeros', trainable: false });
      this.adaptVariance = this.addWeight('variance', statShape, { initializer: 'ones', trainable: false });
      this.count = this.addWeight('count', [], { initializer: 'zeros', trainable: false, dtype: 'int32' });
    } else {
      this.fixed = tf.tidy(() => {
        const expanded = new Array<number>(ndim).fill(1);
        const meanShape = shapeOfNested(this.inputMean!);
        // Mean dims map onto the kept axes from the right, as Keras.
        meanShape.forEach((size, i) => {
          expanded[this.keepAxes[this.keepAxes.length - meanShape.length + i]!] = size;
        });
        const fit = (value: NestedNumbers): tf.Tensor =>
          tf.keep(
            tf.broadcastTo(
              tf.reshape(tf.tensor(value as number[], undefined, 'float32'), expanded),
              this.broadcastShape,
            ),
          );
        return { mean: fit(this.inputMean!), variance: fit(this.inputVariance!) };
      });
    }
  }

  /**
   * Computes mean and variance over the reduced axes (Keras `adapt`); batches of an iterable are
   * combined exactly, as Keras does (lack-of-fit sum of squares).
   */
  async adapt(data: AdaptData): Promise<void> {
    let totalMean: Float64Array | null = null;
    let totalVar: Float64Array | null = null;
    let totalCount = 0;
    for await (const batch of adaptBatches(data)) {
      const x = batch instanceof tf.Tensor ? batch : tf.tensor(batch as number[]);
      try {
        // Built with the data's shape, as Keras (its build_config records it).
        this.maybeBuild([...x.shape]);
        if (this.inputMean !== null)
          throw new ConfigurationError(
            `Layer "${this.name}" (Normalization): cannot adapt a layer given mean and variance`,
          );
        this.checkKeptAxes(x.shape);
        const reduce = x.shape.map((_, d) => d).filter((d) => !this.keepAxes.includes(d));
        const { mean, variance } = tf.tidy(() => tf.moments(tf.cast(x, 'float32'), reduce));
        const batchMean = Float64Array.from(mean.dataSync());
        const batchVar = Float64Array.from(variance.dataSync());
        tf.dispose([mean, variance]);
        const batchCount = reduce.reduce((n, d) => n * x.shape[d]!, 1);
        if (totalMean === null || totalVar === null) {
          totalMean = batchMean;
          totalVar = batchVar;
          totalCount = batchCount;
          continue;
        }
        totalCount += batchCount;
        const w = batchCount / totalCount;
        for (let i = 0; i < totalMean.length; i++) {
          const newMean = totalMean[i]! * (1 - w) + batchMean[i]! * w;
          totalVar[i] =
            (totalVar[i]! + (totalMean[i]! - newMean) ** 2) * (1 - w) +
            (batchVar[i]! + (batchMean[i]! - newMean) ** 2) * w;
          totalMean[i] = newMean;
        }
      } finally {
        if (x !== batch) x.dispose();
      }
    }
    if (totalMean === null || totalVar === null)
      throw new DataError(`Layer "${this.name}" (Normalization): adapt() got no data`);
    const shape = this.adaptMean!.shape;
    const m = tf.tensor(Float32Array.from(totalMean), shape);
    const v = tf.tensor(Float32Array.from(totalVar), shape);
    this.adaptMean!.assign(m);
    this.adaptVariance!.assign(v);
    tf.dispose([m, v]);
  }

  private checkKeptAxes(shape: number[]): void {
    const built = this.builtInputShape as Shape;
    for (const d of this.keepAxes) {
      if (built[d] !== null && built[d] !== shape[d]) {
        throw new InputShapeError(
          `Layer "${this.name}" (Normalization): was built for input shape [${built.map(String).join(', ')}], adapt() got data of shape [${shape.join(', ')}]`,
        );
      }
    }
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const mean = this.fixed?.mean ?? tf.reshape(this.adaptMean!.value, this.broadcastShape);
      const variance = this.fixed?.variance ?? tf.reshape(this.adaptVariance!.value, this.broadcastShape);
      const scale = tf.maximum(tf.sqrt(variance), EPSILON);
      const input = tf.cast(x, 'float32');
      return this.invert ? tf.add(mean, tf.mul(input, scale)) : tf.div(tf.sub(input, mean), scale);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape)];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: [...this.axis],
      invert: this.invert,
      mean: this.inputMean,
      variance: this.inputVariance,
    };
  }

  static override fromConfig(config: LayerConfig): Normalization {
    return new Normalization(config as NormalizationArgs);
  }

  override dispose(): void {
    if (this.fixed !== null) tf.dispose([this.fixed.mean, this.fixed.variance]);
    this.fixed = null;
    super.dispose();
  }
}
registerLayer(Normalization);
