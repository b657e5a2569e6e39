/**
 * `Softmax`: softmax over one or more axes, with an optional mask, as `keras.layers.Softmax`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Softmax}. */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis or axes to normalize over [-1]. */
  axis?: number | number[];
}

/** Keras's stand-in for minus infinity at masked positions (float32). */
const LARGE_NEGATIVE = -1e9;

/**
 * Softmax over `axis`. A mask (from `ctx.mask`, e.g. an attention mask) must broadcast to the
 * input from the right; masked positions get probability 0, as in Keras.
 */
export class Softmax extends Layer {
  static override readonly className: string = 'Softmax';
  static override readonly optionKeys: readonly string[] = ['axis'];
  readonly axis: number | number[];

  constructor(axis?: SoftmaxArgs['axis'], args?: SoftmaxArgs);
  constructor(args?: SoftmaxArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<SoftmaxArgs>(new.target, params, ['axis']);
    super(args);
    const axis = args.axis ?? -1;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
      throw new ConfigurationError(
        `Layer "${this.name}" (Softmax): axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`,
      );
    }
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    for (const axis of Array.isArray(this.axis) ? this.axis : [this.axis]) {
      if (axis >= x.rank || axis < -x.rank) {
        throw new InputShapeError(
          `Layer "${this.name}" (Softmax): axis ${axis} is out of range for input of shape ${formatShape(x.shape)}`,
        );
      }
    }
    const maskValue = Array.isArray(context.mask) ? (context.mask[0] ?? null) : (context.mask ?? null);
    if (maskValue !== null) this.checkMask(x, maskValue);
    return tf.tidy(() => {
      let mask: tf.Tensor | null = null;
      let logits = x;
      if (maskValue !== null) {
        const keep = maskValue.dtype === 'bool' ? maskValue : tf.greater(maskValue, 0.5);
        mask = tf.broadcastTo(keep, x.shape);
        logits = tf.where(mask, x, tf.fill(x.shape, LARGE_NEGATIVE));
      }
      let out: tf.Tensor;
      if (Array.isArray(this.axis) && this.axis.length > 1) {
        out = tf.exp(tf.sub(logits, tf.logSumExp(logits, this.axis, true)));
      } else {
        out = tf.softmax(this.moveToLast(logits), -1);
        out = this.moveBack(out, logits.rank);
      }
      // A fully masked slice would otherwise come out uniform; Keras zeroes it.
      return mask === null ? out : tf.where(mask, out, tf.zerosLike(out));
    });
  }

  private singleAxis(rank: number): number {
    const axis = Array.isArray(this.axis) ? this.axis[0]! : this.axis;
    return axis < 0 ? axis + rank : axis;
  }

  /** tf.softmax works on the last axis only; other axes are moved there and back. */
  private moveToLast(x: tf.Tensor): tf.Tensor {
    const axis = this.singleAxis(x.rank);
    if (axis === x.rank - 1) return x;
    const perm = [...Array(x.rank).keys()].filter((a) => a !== axis).concat(axis);
    return tf.transpose(x, perm);
  }

  private moveBack(x: tf.Tensor, rank: number): tf.Tensor {
    const axis = this.singleAxis(rank);
    if (axis === rank - 1) return x;
    const perm = [...Array(rank).keys()].filter((a) => a !== axis).concat(axis);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(x, inverse);
  }

  private checkMask(x: tf.Tensor, mask: tf.Tensor): void {
    const ok =
      mask.rank <= x.rank &&
      mask.shape.every((d, i) => {
        const inputDim = x.shape[x.rank - mask.rank + i]!;
        return d === 1 || d === inputDim;
      });
    if (!ok) {
      throw new InputShapeError(
        `Layer "${this.name}" (Softmax): the mask must broadcast to the input (each mask axis 1 or equal to the input's, ` +
          `aligned from the right); input shape ${formatShape(x.shape)}, mask shape ${formatShape(mask.shape)}`,
      );
    }
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
registerLayer(Softmax);
