/**
 * `Merge`: the shared base of the elementwise merge layers (Add, Subtract, Multiply,
 * Average, Maximum, Minimum), as Keras's `keras/src/layers/merging/base_merge.py`:
 * list-input and shape checks with broadcasting, rank alignment, and mask combination.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, isShapeList, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { formatShape, type TensorOrList } from '../../engine/shape-utils.js';
import { InputShapeError } from '../../utils/errors.js';

/** Masks of a merge call, one per input (null where an input has none). */
export type MergeMasks = (tf.Tensor | null)[];

/** Formats a list of shapes as Keras prints them. */
export function formatShapes(shapes: Shape[]): string {
  return `[${shapes.map(formatShape).join(', ')}]`;
}

/** Base class of the elementwise merge layers; subclasses implement {@link Merge.mergeFunction}. */
export abstract class Merge extends Layer {
  /** True when the inputs have different ranks and are expanded at axis 1 before merging. */
  protected reshapeRequired = false;

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** `Layer "add" (Add)` — the prefix of every error of this layer. */
  protected get where(): string {
    return `Layer "${this.name}" (${this.className})`;
  }

  /**
   * Combines the (rank-aligned) inputs. `masks` holds the input masks when every input is
   * rank-aligned already (Keras's Maximum/Minimum/Multiply use them), else nulls.
   */
  protected abstract mergeFunction(inputs: tf.Tensor[], masks: MergeMasks): tf.Tensor;

  /** Checks that the shapes form a list and broadcast together; names the layer and the shapes. */
  protected checkShapes(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape)) {
      throw new InputShapeError(
        `${this.where}: a merge layer must be called on a list of inputs, got a single input of shape ${formatShape(inputShape)}`,
      );
    }
    if (inputShape.length < 1)
      throw new InputShapeError(`${this.where}: a merge layer needs at least 1 input, got none`);
    const batchSizes = new Set(inputShape.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batchSizes.size > 1) {
      throw new InputShapeError(
        `${this.where}: cannot merge tensors with different batch sizes; got shapes ${formatShapes(inputShape)}`,
      );
    }
    return inputShape;
  }

  /** The broadcast shape (batch excluded) of two shapes, aligned from the right, as Keras. */
  protected broadcastShapes(a: (number | null)[], b: (number | null)[], all: Shape[]): (number | null)[] {
    if (a.length < b.length) return this.broadcastShapes(b, a, all);
    const out = a.slice(0, a.length - b.length);
    a.slice(a.length - b.length).forEach((i, k) => {
      const j = b[k]!;
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1 || i === j) out.push(i);
      else {
        throw new InputShapeError(
          `${this.where}: inputs have incompatible shapes ${formatShapes(all)}; ` +
            `non-batch axes must be equal or 1 (aligned from the right)`,
        );
      }
    });
    return out;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = this.checkShapes(inputShape);
    let out = shapes[0]!.slice(1);
    for (const shape of shapes.slice(1)) out = this.broadcastShapes(out, shape.slice(1), shapes);
    this.reshapeRequired = new Set(shapes.map((s) => s.length)).size > 1;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    if (!Array.isArray(inputs)) {
      throw new InputShapeError(
        `${this.where}: a merge layer must be called on a list of inputs, got a single tensor of shape ${formatShape(inputs.shape)}`,
      );
    }
    const masks = this.inputMasks(context.mask, inputs.length);
    return tf.tidy(() => {
      if (!this.reshapeRequired && new Set(inputs.map((x) => x.rank)).size === 1)
        return this.mergeFunction(inputs, masks);
      // Different ranks: expand lower-rank inputs at axis 1 until ranks agree (Keras).
      const maxRank = Math.max(...inputs.map((x) => x.rank));
      const aligned = inputs.map((x) => {
        let y = x;
        while (y.rank < maxRank) y = tf.expandDims(y, 1);
        return y;
      });
      return this.mergeFunction(
        aligned,
        inputs.map(() => null),
      );
    });
  }

  /** The per-input masks of a call (all null when there are none). */
  protected inputMasks(mask: CallContext['mask'], count: number): MergeMasks {
    if (mask === null || mask === undefined) return new Array<null>(count).fill(null);
    if (!Array.isArray(mask)) return [mask, ...new Array<null>(count - 1).fill(null)];
    return Array.from({ length: count }, (_, i) => mask[i] ?? null);
  }

  /** Keras: the logical OR of the input masks when every input has one, else no mask. */
  override computeMask(_inputs: TensorOrList, mask: CallContext['mask']): tf.Tensor | null {
    if (mask === null || mask === undefined) return null;
    const masks = Array.isArray(mask) ? mask : [mask];
    if (masks.length === 0 || masks.some((m) => m === null)) return null;
    return tf.tidy(() => masks.slice(1).reduce<tf.Tensor>((acc, m) => tf.logicalOr(acc, m!), masks[0]!.clone()));
  }
}

/** A mask of shape `(batch, ...)` broadcast over the last (feature) axis of `x`. */
export function broadcastMask(mask: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const expanded = mask.rank < x.rank ? tf.expandDims(mask, -1) : mask;
  return tf.broadcastTo(tf.cast(expanded, 'bool'), x.shape);
}

/**
 * Keras's masked merge for Maximum/Minimum: where one input is masked, the other input's
 * value is used, so masked positions do not win.
 */
export function mergeWithMasks(
  op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  inputs: tf.Tensor[],
  masks: MergeMasks,
): tf.Tensor {
  let output: tf.Tensor | null = null;
  let outputMask: tf.Tensor | null = null;
  inputs.forEach((input, i) => {
    let x = input;
    const rawMask = masks[i] ?? null;
    const mask = rawMask === null ? null : broadcastMask(rawMask, x);
    if (output === null) {
      output = x;
      outputMask = mask;
      return;
    }
    if (mask !== null) x = tf.where(mask, x, output);
    if (outputMask !== null) output = tf.where(outputMask, output, x);
    outputMask = mask !== null && outputMask !== null ? tf.logicalOr(outputMask, mask) : null;
    output = op(output, x);
  });
  return output!;
}
