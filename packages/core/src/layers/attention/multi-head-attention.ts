/**
 * `MultiHeadAttention`, as `keras.layers.MultiHeadAttention` (Vaswani et al., 2017):
 * project query, key and value into `numHeads` heads, attend per head over the attention
 * axes, and project the concatenated heads back.
 */
import * as tf from '@tensorflow/tfjs-core';
import { multiHeadAttentionAxes, type Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import {
  getInitializer,
  serializeInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../../initializers/index.js';
import { Layer, isShapeList, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, type LayerOutput, type TensorOrList } from '../../engine/shape-utils.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from '../../regularizers/index.js';
import { Softmax } from '../activations/softmax.js';
import { Dropout, validateRate } from '../regularization/dropout.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  rejectQuantization,
  resolveConstraint,
  resolveRegularizer,
} from '../weight-options.js';
import { andMasks, boolMask, causalMask, maskList } from './attention-masks.js';
import { EinsumProjection } from './einsum-projection.js';
import { attendOverAxes, expandMask } from './multi-head-math.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link MultiHeadAttention} (Keras defaults in brackets). */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Size of each head for value [keyDim]. */
  valueDim?: number | null;
  /** Dropout rate on the attention weights, in training [0]. */
  dropout?: number;
  /** Whether the projections have biases [true]. */
  useBias?: boolean;
  /** Trailing output shape; default the query's last size [null]. */
  outputShape?: number | number[] | null;
  /** Axes attention runs over (of the query, batch excluded); default all but batch and features [null]. */
  attentionAxes?: number | number[] | null;
  /** Attend only to keys within `slidingWindow - 1` positions (a symmetric band) [null]. */
  slidingWindow?: number | null;
  /** Keras's flash-attention switch; a speed choice only, ignored here. */
  flashAttention?: boolean | null;
  /** Gate the attention output with `sigmoid(query projection)` (gated attention) [false]. */
  useGate?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the attention dropout [none]. */
  seed?: number | null;
  /** Written as null by Keras ≥ 3.12; quantized layers are not supported. */
  quantizationConfig?: null;
}

function positiveInt(value: unknown, what: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${where}: ${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function intList(value: number | number[] | null | undefined, what: string, where: string): number[] | null {
  if (value === null || value === undefined) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => Number.isInteger(v))) {
    throw new ConfigurationError(
      `${where}: ${what} must be an integer, a list of integers or null, got ${JSON.stringify(value)}`,
    );
  }
  return [...list];
}

/** Keras's stand-in for minus infinity at masked scores. */
const LARGE_NEGATIVE = -1e9;

/**
 * Multi-head attention. Call on `[query, value]` or `[query, value, key]` (shapes
 * `(batch, T, dim)`, `(batch, S, dim)`; key defaults to value), with optional keyword
 * arguments `{ attentionMask, valueMask, keyMask, useCausalMask, returnAttentionScores }`.
 * Masks from masking layers on query, value and key are used as Keras does; the output
 * `(batch, T, outputShape ?? dim)` carries the query's mask. With `returnAttentionScores`
 * the weights `(batch, numHeads, T, S)` are a second output.
 *
 * ```ts
 * const x = Input([64, 128]);
 * const mha = new layers.MultiHeadAttention(4, 32, { dropout: 0.1 });
 * const y = mha.apply([x, x], { kwargs: { useCausalMask: true } });
 * ```
 *
 * Keras's torch backend takes a fused kernel when dropout is 0, no scores are returned and the
 * inputs are sequences; there a fully masked query row averages all values, elsewhere it gives
 * zeros (then the output bias). Both are reproduced. Like Keras, the call deletes the masks of
 * its input tensors for later readers of the same tensors.
 */
export class MultiHeadAttention extends Layer {
  static override readonly className: string = 'MultiHeadAttention';
  static override readonly optionKeys: readonly string[] = [
    'numHeads',
    'keyDim',
    'valueDim',
    'dropout',
    'useBias',
    'outputShape',
    'attentionAxes',
    'slidingWindow',
    'flashAttention',
    'useGate',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
    'seed',
    'quantizationConfig',
  ];
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly useGate: boolean;
  readonly outputShapeOption: number[] | null;
  /** Attention axes as given, then (once built) as resolved axes of the projected tensors. */
  attentionAxes: number[] | null;
  readonly slidingWindow: number | null;
  readonly seed: number | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly sublayerActivityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  // Sublayers, named as the attributes Keras saves them under (`query_dense`, …, `_softmax`).
  queryDense: EinsumProjection | null = null;
  keyDense: EinsumProjection | null = null;
  valueDense: EinsumProjection | null = null;
  outputDense: EinsumProjection | null = null;
  _gateDense: EinsumProjection | null = null;
  _softmax: Softmax | null = null;
  _dropoutLayer: Dropout | null = null;

  /**
   * @param numHeads - number of attention heads
   * @param keyDim - size of each head for query and key
   */
  constructor(numHeads: number, keyDim: number, args?: MultiHeadAttentionArgs);
  constructor(args: MultiHeadAttentionArgs & { numHeads: number; keyDim: number });
  constructor(...params: unknown[]) {
    const { numHeads, keyDim, ...args } = layerArgs<MultiHeadAttentionArgs & { numHeads: number; keyDim: number }>(
      new.target,
      params,
      ['numHeads', 'keyDim'],
    );
    // The activity regularizer goes to the projections, as in Keras, not to this layer's output.
    super({ ...args, activityRegularizer: null });
    const where = `Layer "${this.name}" (MultiHeadAttention)`;
    rejectQuantization(args, this.name, 'MultiHeadAttention');
    this.numHeads = positiveInt(numHeads, 'numHeads', where);
    this.keyDim = positiveInt(keyDim, 'keyDim', where);
    this.valueDim =
      args.valueDim === null || args.valueDim === undefined
        ? this.keyDim
        : positiveInt(args.valueDim, 'valueDim', where);
    this.dropout = validateRate(args.dropout ?? 0, 'dropout');
    this.useBias = args.useBias ?? true;
    this.useGate = args.useGate ?? false;
    const outputShape = intList(args.outputShape, 'outputShape', where);
    this.outputShapeOption = outputShape !== null && outputShape.length > 0 ? outputShape : null;
    this.attentionAxes = intList(args.attentionAxes, 'attentionAxes', where);
    this.slidingWindow =
      args.slidingWindow === null || args.slidingWindow === undefined
        ? null
        : positiveInt(args.slidingWindow, 'slidingWindow', where);
    this.seed = args.seed ?? null;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.sublayerActivityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.supportsMasking = true;
  }

  private get where(): string {
    return `Layer "${this.name}" (MultiHeadAttention)`;
  }

  override get callKeywordArguments(): readonly string[] {
    return ['attentionMask', 'valueMask', 'keyMask', 'useCausalMask', 'returnAttentionScores'];
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

  /** Keras's call deletes the masks of query, value and key for whatever reads them next. */
  override get clearsInputMasks(): boolean {
    return true;
  }

  override get positionalTensorArguments(): readonly string[] {
    return ['query', 'value', 'key'];
  }

  /** `[query, value, key]` shapes (key defaults to value), checked as Keras's `build`. */
  private splitShapes(inputShape: Shape | Shape[]): [Shape, Shape, Shape] {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 3) {
      const got = isShapeList(inputShape)
        ? `${inputShape.length} inputs`
        : `one tensor of shape ${formatShape(inputShape)}`;
      throw new InputShapeError(`${this.where} must be called on [query, value] or [query, value, key], got ${got}`);
    }
    const [query, value] = inputShape as [Shape, Shape];
    const key = inputShape[2] ?? value;
    const same =
      value.length === key.length &&
      value.slice(1, -1).every((d, i) => d === null || key[i + 1] === null || d === key[i + 1]);
    if (!same) {
      throw new InputShapeError(
        `${this.where}: all dimensions of value and key except the last must be equal, got value ${formatShape(value)} and key ${formatShape(key)}`,
      );
    }
    if (query.length < 3 || query.length !== key.length) {
      throw new InputShapeError(
        `${this.where}: query, value and key must have the same rank ≥ 3, got query ${formatShape(query)}, value ${formatShape(value)}, key ${formatShape(key)}`,
      );
    }
    return [query, value, key];
  }

  /** A projection with this layer's weight options (each with its own initializer copy, as Keras). */
  private projection(name: string, boundDims: number, outputDims: number[], sigmoid = false): EinsumProjection {
    return new EinsumProjection({
      name,
      dtype: this.dtype,
      boundDims,
      outputDims,
      useBias: this.useBias,
      sigmoid,
      kernelInitializer: getInitializer(serializeInitializer(this.kernelInitializer)),
      biasInitializer: getInitializer(serializeInitializer(this.biasInitializer)),
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
      activityRegularizer:
        this.sublayerActivityRegularizer === null
          ? null
          : getRegularizer(regularizerConfig(this.sublayerActivityRegularizer)!),
    });
  }

  override build(inputShape: Shape | Shape[]): void {
    const [query, value, key] = this.splitShapes(inputShape);
    for (const [what, shape] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (shape[shape.length - 1] === null)
        throw new InputShapeError(
          `${this.where}: the last axis of the ${what} must be known, got shape ${formatShape(shape)}`,
        );
    }
    // Keras's build order, which is also the order of `weights`.
    this.queryDense = this.trackLayer(this.projection('query', 1, [this.numHeads, this.keyDim]));
    this.queryDense.maybeBuild(query);
    this.keyDense = this.trackLayer(this.projection('key', 1, [this.numHeads, this.keyDim]));
    this.keyDense.maybeBuild(key);
    if (this.useGate) {
      this._gateDense = this.trackLayer(this.projection('gate', 1, [this.numHeads, this.valueDim], true));
      this._gateDense.maybeBuild(query);
    }
    this.valueDense = this.trackLayer(this.projection('value', 1, [this.numHeads, this.valueDim]));
    this.valueDense.maybeBuild(value);
    let axes: number[];
    try {
      axes = multiHeadAttentionAxes(query.length, this.attentionAxes);
    } catch (error) {
      throw new ConfigurationError(`${this.where}: ${(error as Error).message}`);
    }
    this.attentionAxes = axes;
    const scoresRank = query.length + 1 + axes.length - 1;
    const normAxes = axes.map((_, i) => scoresRank - axes.length + i);
    // Fixed names (Keras's would be session-unique automatic ones): they only label empty weight groups.
    this._softmax = this.trackLayer(new Softmax({ name: 'softmax', axis: normAxes, dtype: this.dtype }));
    this._dropoutLayer = this.trackLayer(
      new Dropout(this.dropout, { name: 'dropout', seed: this.seed, dtype: this.dtype }),
    );
    const outputDims = this.outputShapeOption ?? [query[query.length - 1] as number];
    this.outputDense = this.trackLayer(this.projection('attention_output', 2, outputDims));
    this.outputDense.maybeBuild([...query.slice(0, -1), this.numHeads, this.valueDim]);
  }

  call(inputs: TensorOrList, context: CallContext): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.splitShapes(list.map((t) => t.shape));
    const [query, value] = list as [tf.Tensor, tf.Tensor];
    const key = list[2] ?? value;
    const kwargs = context.kwargs ?? {};
    const tensors = context.tensorKwargs ?? {};
    const masks = maskList(context.mask);
    const useCausal = kwargs['useCausalMask'] === true;
    const returnScores = kwargs['returnAttentionScores'] === true;
    // Keras takes the query's mask from the query tensor only; explicit value/key masks win over the tensors' own.
    const queryMask = masks[0] ?? null;
    const valueMask = tensors['valueMask'] ?? masks[1] ?? null;
    const keyMask = tensors['keyMask'] ?? (list[2] !== undefined ? (masks[2] ?? null) : null);
    const explicit = tensors['attentionMask'] ?? null;
    const causalOnly =
      useCausal &&
      queryMask === null &&
      valueMask === null &&
      keyMask === null &&
      explicit === null &&
      this.slidingWindow === null;
    const training = context.training === true;
    const [output, scores] = tf.tidy(() => {
      const tq = query.shape[1]!;
      const ts = value.shape[1]!;
      let mask: tf.Tensor | null = null;
      if (causalOnly) {
        mask = causalMask(tq, ts);
      } else {
        if (queryMask !== null) mask = tf.expandDims(boolMask(queryMask), -1);
        if (valueMask !== null) mask = andMasks(mask, tf.expandDims(boolMask(valueMask), -2));
        if (keyMask !== null) mask = andMasks(mask, tf.expandDims(boolMask(keyMask), -2));
        if (useCausal) mask = andMasks(mask, causalMask(tq, ts));
        if (this.slidingWindow !== null) mask = andMasks(mask, this.slidingWindowMask(tq, ts));
        if (explicit !== null) mask = andMasks(boolMask(explicit), mask);
      }
      const gate = this._gateDense === null ? null : (this._gateDense.invoke(query, {}) as tf.Tensor);
      const q = this.queryDense!.invoke(query, {}) as tf.Tensor;
      const k = this.keyDense!.invoke(key, {}) as tf.Tensor;
      const v = this.valueDense!.invoke(value, {}) as tf.Tensor;
      const axes = this.attentionAxes!;
      // Keras (torch) takes a fused kernel when nothing needs the weights: a fully masked
      // query row then averages all values; the explicit path zeroes it (Softmax with mask).
      const fused = !(this.dropout > 0 || returnScores || q.rank !== 4);
      const normalize = (scores: tf.Tensor): tf.Tensor => {
        const full = mask === null ? null : expandMask(mask, scores.shape, axes.length);
        if (!fused) return this._softmax!.invoke(scores, { mask: full }) as tf.Tensor;
        return tf.softmax(full === null ? scores : tf.where(full, scores, tf.fill(scores.shape, LARGE_NEGATIVE)), -1);
      };
      const dropout = (weights: tf.Tensor): tf.Tensor =>
        training && this.dropout > 0 ? (this._dropoutLayer!.invoke(weights, { training: true }) as tf.Tensor) : weights;
      const attended = attendOverAxes(tf.mul(q, 1 / Math.sqrt(this.keyDim)), k, v, axes, normalize, dropout);
      const heads = gate === null ? attended.output : tf.mul(attended.output, gate);
      return [this.outputDense!.invoke(heads, {}) as tf.Tensor, attended.weights];
    });
    if (returnScores) return [output, scores];
    scores.dispose();
    return output;
  }

  /** Keras's sliding-window band `(1, T, S)`: `|i - j| < slidingWindow`. */
  private slidingWindowMask(tq: number, ts: number): tf.Tensor {
    const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [1, tq, 1]);
    const cols = tf.reshape(tf.range(0, ts, 1, 'int32'), [1, 1, ts]);
    return tf.less(tf.abs(tf.sub(rows, cols)), this.slidingWindow!);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      useGate: this.useGate,
      outputShape: this.outputShapeOption === null ? null : [...this.outputShapeOption],
      attentionAxes: this.attentionAxes === null ? null : [...this.attentionAxes],
      slidingWindow: this.slidingWindow,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      kernelRegularizer: regularizerConfig(this.kernelRegularizer),
      biasRegularizer: regularizerConfig(this.biasRegularizer),
      activityRegularizer: regularizerConfig(this.sublayerActivityRegularizer),
      kernelConstraint: constraintConfig(this.kernelConstraint),
      biasConstraint: constraintConfig(this.biasConstraint),
      seed: this.seed,
    };
  }

  static override fromConfig(config: LayerConfig): MultiHeadAttention {
    return new MultiHeadAttention(
      config['numHeads'] as number,
      config['keyDim'] as number,
      config as MultiHeadAttentionArgs,
    );
  }
}
registerLayer(MultiHeadAttention);
