/**
 * `Dot`: per-sample dot product of two tensors along given axes, as `keras.layers.Dot`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { isShapeList, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, type TensorOrList } from '../../engine/shape-utils.js';
import { Merge, formatShapes, type MergeMasks } from './base-merge.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Dot}. */
export interface DotArgs extends LayerArgs {
  /** L2-normalize both inputs along the dot axes first, giving cosine similarity [false]. */
  normalize?: boolean;
}

/** Keras's `backend.epsilon()`; L2 normalization clamps the squared norm at its square. */
const EPSILON = 1e-7;

/** Per-sample dot product (Keras `batch_dot`) of `x` and `y` over `x` axis `a0` and `y` axis `a1` (both ≥ 1). */
function batchDot(x: tf.Tensor, y: tf.Tensor, a0: number, a1: number): tf.Tensor {
  const xRank = x.rank;
  const yRank = y.rank;
  let xs = x;
  let ys = y;
  let xAxis = a0;
  if (xRank === 2) {
    xs = tf.expandDims(xs, 1);
    xAxis += 1;
  }
  if (yRank === 2) ys = tf.expandDims(ys, 2);
  // x: reduced axis last; y: reduced axis at 1.
  const xPerm = [...Array(xs.rank).keys()].filter((a) => a !== xAxis).concat(xAxis);
  const yRest = [...Array(ys.rank).keys()].filter((a) => a !== 0 && a !== a1);
  xs = tf.transpose(xs, xPerm);
  ys = tf.transpose(ys, [0, a1, ...yRest]);
  const batch = xs.shape[0]!;
  const depth = xs.shape[xs.rank - 1]!;
  const xMid = xs.shape.slice(1, -1);
  const yTrail = ys.shape.slice(2);
  const product = tf.matMul(
    tf.reshape(xs, [batch, -1, depth]) as tf.Tensor3D,
    tf.reshape(ys, [batch, depth, -1]) as tf.Tensor3D,
  );
  let result = tf.reshape(product, [batch, ...xMid, ...yTrail]);
  if (xRank === 2) result = tf.squeeze(result, [1]);
  else if (yRank === 2) result = tf.squeeze(result, [result.rank - 1]);
  return result;
}

function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const squareSum = tf.sum(tf.square(x), axis, true);
  return tf.mul(x, tf.rsqrt(tf.maximum(squareSum, EPSILON * EPSILON)));
}

/**
 * Dot product of two inputs sample by sample: `axes` is one axis for both or `[axisOf1st,
 * axisOf2nd]` (the batch axis 0 cannot be reduced). E.g. `(batch, n, d) · (batch, m, d)` with
 * `axes: 2` gives `(batch, n, m)`; two `(batch, d)` inputs give `(batch, 1)`. No output mask.
 */
export class Dot extends Merge {
  static override readonly className: string = 'Dot';
  static override readonly optionKeys: readonly string[] = ['axes', 'normalize'];
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(axes: number | [number, number], normalize?: boolean, args?: DotArgs);
  constructor(axes: number | [number, number], args?: DotArgs);
  constructor(args: DotArgs & { axes: number | [number, number] });
  constructor(...params: unknown[]) {
    const { axes, ...args } = layerArgs<DotArgs & { axes: number | [number, number] }>(new.target, params, [
      'axes',
      'normalize',
    ]);
    super(args);
    const valid =
      Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!valid) {
      throw new ConfigurationError(
        `${this.where}: axes must be an integer or a list of 2 integers, got ${JSON.stringify(axes)}`,
      );
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  /** The two reduced axes, made non-negative for inputs of these ranks. */
  private resolveAxes(rank1: number, rank2: number): [number, number] {
    const [a, b] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [a < 0 ? a + rank1 : a, b < 0 ? b + rank2 : b];
  }

  private checkPair(inputShape: Shape | Shape[]): [Shape, Shape, number, number] {
    if (!isShapeList(inputShape) || inputShape.length !== 2) {
      const got = isShapeList(inputShape) ? formatShapes(inputShape) : formatShape(inputShape);
      throw new InputShapeError(`${this.where}: must be called on a list of exactly 2 inputs, got ${got}`);
    }
    const [s1, s2] = inputShape as [Shape, Shape];
    if (s1.length < 2 || s2.length < 2)
      throw new InputShapeError(`${this.where}: inputs must have rank ≥ 2, got shapes ${formatShapes([s1, s2])}`);
    const [a0, a1] = this.resolveAxes(s1.length, s2.length);
    if (a0 <= 0 || a1 <= 0 || a0 >= s1.length || a1 >= s2.length) {
      throw new InputShapeError(
        `${this.where}: axes ${JSON.stringify(this.axes)} are out of range or the batch axis 0, for shapes ${formatShapes([s1, s2])}`,
      );
    }
    const b1 = s1[0];
    const b2 = s2[0];
    if (b1 !== null && b2 !== null && b1 !== b2)
      throw new InputShapeError(`${this.where}: different batch sizes in shapes ${formatShapes([s1, s2])}`);
    const d1 = s1[a0];
    const d2 = s2[a1];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new InputShapeError(
        `${this.where}: incompatible shapes ${formatShapes([s1, s2])}: axis ${a0} of the first (${d1}) and axis ${a1} of the second (${d2}) differ`,
      );
    }
    return [s1, s2, a0, a1];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkPair(inputShape);
  }

  protected mergeFunction(inputs: tf.Tensor[], _masks: MergeMasks): tf.Tensor {
    const [x, y] = inputs as [tf.Tensor, tf.Tensor];
    const [a0, a1] = this.resolveAxes(x.rank, y.rank);
    const left = this.normalize ? l2Normalize(x, a0) : x;
    const right = this.normalize ? l2Normalize(y, a1) : y;
    return batchDot(left, right, a0, a1);
  }

  override call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    this.checkPair(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape);
    return tf.tidy(() => this.mergeFunction(inputs as tf.Tensor[], []));
  }

  /** `shape1` without its axis, then `shape2` without batch and axis; at least `(batch, 1)`. */
  override computeMask(): null {
    return null;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axes: Array.isArray(this.axes) ? [...this.axes] : this.axes,
      normalize: this.normalize,
    };
  }

  static override fromConfig(config: LayerConfig): Dot {
    return new Dot(config['axes'] as number | [number, number], config as DotArgs);
  }
}
registerLayer(Dot);
