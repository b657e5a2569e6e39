/**
 * `Concatenate`: joins its inputs along one axis, as `keras.layers.Concatenate`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { CallContext, LayerArgs, LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, type TensorOrList } from '../../engine/shape-utils.js';
import { Merge, formatShapes } from './base-merge.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Concatenate}. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along [-1]. */
  axis?: number;
}

/**
 * Concatenates a list of inputs along `axis`; all other axes must match (unknown sizes are
 * accepted). With masks, the output mask is the concatenated masks reduced over the last axis, as Keras.
 */
export class Concatenate extends Merge {
  static override readonly className: string = 'Concatenate';
  static override readonly optionKeys: readonly string[] = ['axis'];
  readonly axis: number;

  constructor(axis?: number, args?: ConcatenateArgs);
  constructor(args?: ConcatenateArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ConcatenateArgs>(new.target, params, ['axis']);
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis))
      throw new ConfigurationError(`${this.where}: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = this.checkShapes(inputShape);
    const rank = shapes[0]!.length;
    const mismatch = (): never => {
      throw new InputShapeError(
        `${this.where}: inputs must have the same shape except on the concatenation axis (axis=${this.axis}); ` +
          `got shapes ${formatShapes(shapes)}`,
      );
    };
    if (shapes.some((s) => s.length !== rank)) mismatch();
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank || axis === 0) {
      throw new InputShapeError(
        `${this.where}: axis ${this.axis} is out of range for inputs of rank ${rank} (batch axis 0 cannot be concatenated); got shapes ${formatShapes(shapes)}`,
      );
    }
    for (let a = 0; a < rank; a++) {
      if (a === axis) continue;
      const known = new Set(shapes.map((s) => s[a]).filter((d) => d !== null));
      if (known.size > 1) mismatch();
    }
  }

  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.concat(inputs, this.axis);
  }

  override call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    if (!Array.isArray(inputs)) {
      throw new InputShapeError(
        `${this.where}: must be called on a list of inputs, got a single tensor of shape ${formatShape(inputs.shape)}`,
      );
    }
    return tf.tidy(() => tf.concat(inputs, this.axis));
  }

  override computeMask(inputs: TensorOrList, mask: CallContext['mask']): tf.Tensor | null {
    if (mask === null || mask === undefined || !Array.isArray(inputs)) return null;
    const masks = Array.isArray(mask) ? mask : [mask];
    if (masks.every((m) => m === null)) return null;
    return tf.tidy(() => {
      const full = inputs.map((x, i) => {
        const m = masks[i] ?? null;
        if (m === null) return tf.cast(tf.onesLike(x), 'bool');
        return m.rank < x.rank ? tf.broadcastTo(tf.expandDims(tf.cast(m, 'bool'), -1), x.shape) : tf.cast(m, 'bool');
      });
      return tf.any(tf.concat(full, this.axis), -1);
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerLayer(Concatenate);
