/**
 * `AdditiveAttention`: Bahdanau-style attention, as `keras.layers.AdditiveAttention`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape } from '../../engine/shape-utils.js';
import { Attention, type AttentionArgs } from './attention.js';
import { InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link AdditiveAttention} (Keras defaults in brackets). */
export interface AdditiveAttentionArgs extends Omit<AttentionArgs, 'scoreMode' | 'useScale'> {
  /** Learn a per-feature `scale` of shape `(dim,)` weighting the `tanh` terms [true]. */
  useScale?: boolean;
  /** Not used (Keras drops it from the config); accepted so configs load. */
  scoreMode?: string;
}

/**
 * Additive attention: scores `sum(scale * tanh(query + key), axis=-1)` of shape
 * `(batch, Tq, Tv)`, then `softmax(scores) · value`; masks and call options as {@link Attention}.
 */
export class AdditiveAttention extends Attention {
  static override readonly className: string = 'AdditiveAttention';
  static override readonly optionKeys: readonly string[] = [];

  constructor(useScale?: boolean, dropout?: number, args?: AdditiveAttentionArgs);
  constructor(useScale?: boolean, args?: AdditiveAttentionArgs);
  constructor(args?: AdditiveAttentionArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<AdditiveAttentionArgs>(new.target, params, ['useScale', 'dropout']);
    const { scoreMode: _scoreMode, ...rest } = args;
    super({ ...rest, useScale: args.useScale ?? true });
  }

  override build(inputShape: Shape | Shape[]): void {
    const [query] = this.validateShapes(inputShape) as [Shape];
    const dim = query[query.length - 1];
    if (dim === null || dim === undefined) {
      throw new InputShapeError(
        `${this.where}: the last axis of the query must be known, got shape ${formatShape(query)}`,
      );
    }
    if (this.useScale) this.scale = this.addWeight('scale', [dim], { initializer: 'glorot_uniform' });
  }

  protected override calculateScores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    // query (batch, Tq, 1, dim) + key (batch, 1, Tv, dim).
    const terms = tf.tanh(tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3)));
    return tf.sum(this.scale === null ? terms : tf.mul(this.scale.value, terms), -1);
  }

  override getConfig(): LayerConfig {
    const config = super.getConfig();
    delete config['scoreMode'];
    return config;
  }

  static override fromConfig(config: LayerConfig): AdditiveAttention {
    return new AdditiveAttention(config as AdditiveAttentionArgs);
  }
}
registerLayer(AdditiveAttention);
