/**
 * `GlobalAveragePooling1D({dataFormat, keepdims})`: Keras 3's mean over the time axis, with
 * mask support (masked steps are left out of the mean).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GlobalAveragePooling1D}. */
export type GlobalAveragePooling1DArgs = GlobalPoolingArgs;

/**
 * The mean over the time axis: `(batch, channels)` (or `(batch, 1, channels)` with `keepdims`).
 * With a mask `(batch, steps)` (e.g. from `Embedding({maskZero: true})`) only unmasked steps are
 * averaged, as Keras; the output carries no mask. Keras: `keras.layers.GlobalAveragePooling1D`.
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  static override readonly optionKeys: readonly string[] = [];

  /** @param args `dataFormat` and `keepdims`, Keras defaults */
  constructor(dataFormat?: string, keepdims?: boolean, args?: GlobalAveragePooling1DArgs);
  constructor(args?: GlobalAveragePooling1DArgs);
  constructor(...params: unknown[]) {
    super(1, layerArgs<GlobalAveragePooling1DArgs>(new.target, params, ['dataFormat', 'keepdims']));
    this.supportsMasking = true;
  }

  protected reduce(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.mean(x, axes, this.keepdims);
  }

  override call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const mask = Array.isArray(context.mask) ? (context.mask[0] ?? null) : (context.mask ?? null);
    if (mask === null) return super.call(x, context);
    const stepsAxis = this.dataFormat === 'channels_last' ? 1 : 2;
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[stepsAxis]) {
      throw new InputShapeError(
        `${this.className} "${this.name}": expected a mask of shape (batch, steps) = (${x.shape[0]}, ${x.shape[stepsAxis]}), got ${formatShape(mask.shape)}`,
      );
    }
    return tf.tidy(() => {
      const weights = tf.expandDims(tf.cast(mask, x.dtype), this.dataFormat === 'channels_last' ? 2 : 1);
      // `where` rather than multiply, so masked NaN/Inf values cannot leak into the mean.
      const kept = tf.where(tf.cast(tf.broadcastTo(weights, x.shape), 'bool'), x, tf.zerosLike(x));
      return tf.div(tf.sum(kept, stepsAxis, this.keepdims), tf.sum(weights, stepsAxis, this.keepdims));
    });
  }

  /** The mean removes the time axis, so no mask follows (Keras returns None). */
  override computeMask(): null {
    return null;
  }

  static override fromConfig(config: LayerConfig): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(config as GlobalAveragePooling1DArgs);
  }
}

registerLayer(GlobalAveragePooling1D);
