/**
 * `Attention`: dot-product (Luong-style) attention over `[query, value]` or
 * `[query, value, key]`, as `keras.layers.Attention`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, isShapeList, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { SeedGenerator } from '../../engine/seed-generator.js';
import { formatShape, type LayerOutput, type TensorOrList } from '../../engine/shape-utils.js';
import type { LayerVariable } from '../../engine/variable.js';
import { dropoutNoise } from '../regularization/dropout-noise.js';
import { validateRate } from '../regularization/dropout.js';
import { andMasks, boolMask, causalMask, maskList } from './attention-masks.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** How `Attention` scores a query against a key. */
export type ScoreMode = 'dot' | 'concat';

const SCORE_MODES: readonly ScoreMode[] = ['dot', 'concat'];

/** Options of {@link Attention} (Keras defaults in brackets). */
export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar `scale` multiplying the scores [false]. */
  useScale?: boolean;
  /** `dot`: `query · key`; `concat`: `sum(tanh(query + key))` times a learned weight [`dot`]. */
  scoreMode?: ScoreMode;
  /** Fraction of the attention weights dropped in training [0]. */
  dropout?: number;
  /** Seed of the dropout masks [none]. */
  seed?: number | null;
}

/** Keras subtracts this from masked scores (float32; its float16 value is 65504). */
const MASK_PENALTY = 1e9;

/**
 * Dot-product attention: `softmax(scores(query, key)) · value`, with scores of shape
 * `(batch, Tq, Tv)`. Called on `[query (batch, Tq, dim), value (batch, Tv, dim)]` or with
 * a third `key` (default: `value`). Masks `[queryMask, valueMask]` come from masking layers:
 * masked values get no weight, masked query steps output zeros. Call options:
 * `{ kwargs: { useCausalMask: true, returnAttentionScores: true } }` (the latter adds the
 * attention weights as a second output; use `applyMulti`).
 */
export class Attention extends Layer {
  static override readonly className: string = 'Attention';
  static override readonly optionKeys: readonly string[] = ['useScale', 'scoreMode', 'dropout', 'seed'];
  readonly useScale: boolean;
  readonly scoreMode: ScoreMode;
  readonly dropout: number;
  readonly seed: number | null;
  /** The learned score scale, once built (when `useScale`). */
  scale: LayerVariable | null = null;
  /** The learned weight of `concat` scores, once built. */
  concatScoreWeight: LayerVariable | null = null;
  protected readonly seedGenerator: SeedGenerator;

  constructor(useScale?: boolean, scoreMode?: AttentionArgs['scoreMode'], args?: AttentionArgs);
  constructor(useScale?: boolean, args?: AttentionArgs);
  constructor(args?: AttentionArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<AttentionArgs>(new.target, params, ['useScale', 'scoreMode']);
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? 'dot';
    if (!SCORE_MODES.includes(this.scoreMode)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}): invalid scoreMode ${JSON.stringify(args.scoreMode)}; valid choices: "dot", "concat"`,
      );
    }
    this.dropout = validateRate(args.dropout ?? 0, 'dropout');
    this.seed = args.seed ?? null;
    this.seedGenerator = new SeedGenerator(this.seed);
    this.supportsMasking = true;
  }

  protected get where(): string {
    return `Layer "${this.name}" (${this.className})`;
  }

  override get callKeywordArguments(): readonly string[] {
    return ['returnAttentionScores', 'useCausalMask'];
  }

  /** `[query, value]` or `[query, value, key]` shapes, checked. */
  protected validateShapes(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 3) {
      const got = isShapeList(inputShape)
        ? `${inputShape.length} inputs`
        : `one tensor of shape ${formatShape(inputShape)}`;
      throw new InputShapeError(
        `${this.where} must be called on a list [query, value] or [query, value, key], got ${got}`,
      );
    }
    return inputShape;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.validateShapes(inputShape);
    if (this.useScale) this.scale = this.addWeight('scale', [], { initializer: 'ones' });
    if (this.scoreMode === 'concat')
      this.concatScoreWeight = this.addWeight('concat_score_weight', [], { initializer: 'ones' });
  }

  /** Scores `(batch, Tq, Tv)` of `query (batch, Tq, dim)` against `key (batch, Tv, dim)`. */
  protected calculateScores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    if (this.scoreMode === 'dot') {
      const scores = tf.matMul(query, key, false, true);
      return this.scale === null ? scores : tf.mul(scores, this.scale.value);
    }
    // concat: broadcast query (batch, Tq, 1, dim) against key (batch, 1, Tv, dim).
    let sum = tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3));
    if (this.scale !== null) sum = tf.mul(this.scale.value, sum);
    return tf.mul(this.concatScoreWeight!.value, tf.sum(tf.tanh(sum), -1));
  }

  call(inputs: TensorOrList, context: CallContext): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.validateShapes(list.map((t) => t.shape));
    const masks = maskList(context.mask);
    if (context.mask !== null && context.mask !== undefined && !Array.isArray(context.mask)) {
      throw new InputShapeError(`${this.where}: the mask must be a list [queryMask, valueMask], got a single tensor`);
    }
    const useCausal = context.kwargs?.['useCausalMask'] === true;
    const returnScores = context.kwargs?.['returnAttentionScores'] === true;
    const seed = context.training === true && this.dropout > 0 ? this.seedGenerator.next() : null;
    const [out, weights] = tf.tidy(() => {
      const [query, value] = list as [tf.Tensor, tf.Tensor];
      const key = list[2] ?? value;
      const scores = this.calculateScores(query, key);
      const valueMask = masks[1] ? boolMask(masks[1]) : null;
      let scoresMask = valueMask === null ? null : tf.expandDims(valueMask, -2);
      if (useCausal) {
        const [tq, tv] = scores.shape.slice(-2) as [number, number];
        scoresMask = andMasks(scoresMask, causalMask(tq, tv));
      }
      const masked =
        scoresMask === null
          ? scores
          : tf.where(tf.broadcastTo(scoresMask, scores.shape), scores, tf.sub(scores, MASK_PENALTY));
      let attention = tf.softmax(masked, -1);
      if (seed !== null) attention = dropoutNoise(attention, this.dropout, attention.shape, seed);
      let output = tf.matMul(attention, value);
      if (masks[0]) {
        const queryMask = tf.broadcastTo(tf.expandDims(boolMask(masks[0]), -1), output.shape);
        output = tf.where(queryMask, output, tf.zerosLike(output));
      }
      return [output, attention];
    });
    if (returnScores) return [out, weights];
    weights.dispose();
    return out;
  }

  /** The query's mask passes to the output (not to the attention scores, as in Keras). */
  override computeMask(
    _inputs: TensorOrList,
    mask: CallContext['mask'],
    context?: CallContext,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    const queryMask = maskList(mask)[0] ?? null;
    return context?.kwargs?.['returnAttentionScores'] === true ? [queryMask, null] : queryMask;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      useScale: this.useScale,
      scoreMode: this.scoreMode,
      dropout: this.dropout,
      seed: this.seed,
    };
  }

  static override fromConfig(config: LayerConfig): Attention {
    return new Attention(config as AttentionArgs);
  }
}
registerLayer(Attention);
