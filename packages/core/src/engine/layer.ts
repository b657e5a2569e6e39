/**
 * The base class of every layer, with Keras 3's small surface: `build`, `call`,
 * `computeOutputShape`, `getConfig` — plus `apply` for symbolic (model building)
 * and eager use. The machinery lives beside it: layer-calls.ts (eager and symbolic calls),
 * layer-weights.ts (creating and ordering weights), layer-config.ts (the base config),
 * input-spec.ts (input checks), layer-types.ts (option and context types).
 */
import * as tf from '@tensorflow/tfjs-core';
import { inferLayerOutputShapes, type JsonObject, type Shape } from '@strata/graph';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { configToSnake } from '../utils/config-case.js';
import { ConfigurationError, NotBuiltError } from '../utils/errors.js';
import { isCollectingLosses, recordLoss } from '../utils/losses-collector.js';
import { autoName } from '../utils/naming.js';
import type { CallKwargValue } from './call-kwargs.js';
import { CallableLayerBase } from './callable-layer.js';
import { checkInputSpec, type InputSpec } from './input-spec.js';
import { checkLayerOptions } from './layer-options.js';
import { isSymbolic, type CallNodeRecord, type KerasTensor } from './keras-tensor.js';
import { applyEager, applySymbolic } from './layer-calls.js';
import { baseLayerConfig, dtypeName } from './layer-config.js';
import {
  isShapeList,
  LAYER_OPTION_KEYS,
  type AddWeightOptions,
  type ApplyArgs,
  type CallContext,
  type LayerArgs,
  type LayerClass,
  type LayerConfig,
} from './layer-types.js';
import { countScalars, createLayerWeight, orderedWeights } from './layer-weights.js';
import { shapesOf, type LayerOutput, type TensorOrList } from './shape-utils.js';
import type { LayerVariable } from './variable.js';

// The layer's option, context and config types live in layer-types.ts (and InputSpec in
// input-spec.ts); they are re-exported here, where every layer imports them from.
export type {
  AddWeightOptions,
  ApplyArgs,
  CallContext,
  DTypeIdentifier,
  LayerArgs,
  LayerClass,
  LayerConfig,
} from './layer-types.js';
export { isShapeList, LAYER_OPTION_KEYS } from './layer-types.js';
export type { InputSpec } from './input-spec.js';
export type { CallKwargValue } from './call-kwargs.js';

/**
 * Base class of all layers. Subclasses override `build`, `call`, `getConfig` (and `computeOutputShape` when shape inference in `@strata/graph` does not know them).
 *
 * A layer is called with `layer.apply(x)` (Keras's `layer(x)`); calling it as a function throws
 * a TypeError that says so.
 */
export abstract class Layer extends CallableLayerBase {
  /** Keras class name; each subclass sets its own. */
  static readonly className: string = 'Layer';
  /**
   * The option keys (camelCase) the constructor accepts besides those of the base classes,
   * positional ones included (they appear in the config). A class that declares its own list
   * gets unknown keys refused with a "did you mean" hint; a subclass without one is not checked.
   */
  static readonly optionKeys: readonly string[] = LAYER_OPTION_KEYS;

  /** Layer name. */
  readonly name: string;
  /** Compute dtype. */
  readonly dtype: string;
  /** True once `build` has run. */
  built = false;
  /** Whether the layer propagates masks (Keras `supports_masking`). */
  supportsMasking = false;
  /** Input requirements checked before every call. */
  protected inputSpec: InputSpec | null = null;
  /** Symbolic calls of this layer. */
  readonly inboundNodes: CallNodeRecord[] = [];
  /** Shape the layer was built with (batch included). */
  builtInputShape: Shape | Shape[] | null = null;
  /** Input shape given at construction (`inputShape`/`batchSize`), with the batch dimension. */
  readonly batchInputShape: Shape | null;
  /** Penalty on the layer's output. */
  readonly activityRegularizer: Regularizer | null;

  private _trainable: boolean;
  private readonly ownWeights: LayerVariable[] = [];
  private readonly sublayers: Layer[] = [];

  constructor(args: LayerArgs = {}) {
    super();
    checkLayerOptions(new.target as unknown as LayerClass, args);
    this.name = args.name ?? autoName(this.className);
    if (this.name.includes('/')) throw new ConfigurationError(`Layer name "${this.name}" must not contain "/"`);
    this._trainable = args.trainable ?? true;
    this.dtype = dtypeName(args.dtype);
    this.batchInputShape = args.inputShape ? [args.batchSize ?? null, ...args.inputShape] : null;
    this.activityRegularizer = args.activityRegularizer ? getRegularizer(args.activityRegularizer) : null;
  }

  /** Keras class name of this layer. */
  get className(): string {
    return (this.constructor as unknown as LayerClass).className;
  }

  /** Whether the layer is trained; setting it freezes or unfreezes every sublayer too. */
  get trainable(): boolean {
    return this._trainable;
  }
  set trainable(value: boolean) {
    this._trainable = value;
    for (const layer of this.sublayers) layer.trainable = value;
  }

  /** Creates the layer's weights for the given input shape (batch dimension included). */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The layer's computation on concrete tensors. */
  abstract call(inputs: TensorOrList, context: CallContext): LayerOutput;

  /**
   * Output shape(s) for the given input shape(s). The default asks `@strata/graph`'s shape
   * inference, which works on the layer's Keras config, so one rule serves linter and runtime.
   */
  computeOutputShape(
    inputShape: Shape | Shape[],
    kwargs: Readonly<Record<string, CallKwargValue>> = {},
  ): Shape | Shape[] {
    const inputs = isShapeList(inputShape) ? inputShape : [inputShape];
    const snake = configToSnake(kwargs) as JsonObject;
    const outputs = inferLayerOutputShapes(this.className, this.kerasConfig(), inputs, this.name, snake);
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  /**
   * Keyword arguments (camelCase) the layer's call takes beyond `training`, `mask` and
   * `initialState`, e.g. `useCausalMask`; `apply` refuses others. None by default.
   */
  get callKeywordArguments(): readonly string[] {
    return [];
  }

  /**
   * Whether calling the layer removes the masks of its input tensors for later consumers
   * (Keras's MultiHeadAttention does, by `backend.set_keras_mask(query, None)`). Default false.
   */
  get clearsInputMasks(): boolean {
    return false;
  }

  /**
   * Names of the tensors the call takes as separate positional arguments (Keras
   * `call(query, value, key)`), in order; empty when it takes one tensor or one list
   * (merge layers). Decides how a call is written to a file and which tensor keyword
   * arguments a loaded call may pass by name instead.
   */
  get positionalTensorArguments(): readonly string[] {
    return [];
  }

  /**
   * Output mask; by default the input mask passes through when the layer supports masking.
   * `context` is the call's (kwargs included), for layers whose outputs depend on them.
   */
  computeMask(
    _inputs: TensorOrList,
    mask: CallContext['mask'],
    _context?: CallContext,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    if (!this.supportsMasking || mask === undefined || mask === null) return null;
    return Array.isArray(mask) ? (mask[0] ?? null) : mask;
  }

  /** The layer's config (camelCase); `fromConfig(getConfig())` rebuilds an equal layer. */
  getConfig(): LayerConfig {
    return baseLayerConfig(this);
  }

  /** The Keras (snake_case) config, as written to `config.json`. */
  kerasConfig(): JsonObject {
    return configToSnake(this.getConfig()) as JsonObject;
  }

  /** Rebuilds a layer from its config. Layers with a positional first argument override this. */
  static fromConfig(this: new (args: LayerConfig) => Layer, config: LayerConfig): Layer {
    return new this(config);
  }

  // ---- weights -----------------------------------------------------------------------

  /** Creates a weight of this layer. */
  addWeight(name: string, shape: number[], options: AddWeightOptions = {}): LayerVariable {
    const weight = createLayerWeight(this, name, shape, options);
    this.ownWeights.push(weight);
    return weight;
  }

  /** Registers a layer owned by this one (its weights become this layer's weights). */
  protected trackLayer<T extends Layer>(layer: T): T {
    if (!this.sublayers.includes(layer)) this.sublayers.push(layer);
    return layer;
  }

  /** Forgets all tracked sublayers (a model whose graph is rebuilt). */
  protected resetTrackedLayers(): void {
    this.sublayers.length = 0;
  }

  /** Replaces the tracked sublayers with `layers`, which are distinct (no per-layer membership scan). */
  protected setTrackedLayers(layers: readonly Layer[]): void {
    this.sublayers.length = 0;
    for (const layer of layers) this.sublayers.push(layer);
  }

  /** Layers owned by this one. */
  get trackedLayers(): readonly Layer[] {
    return this.sublayers;
  }

  /** All weights: own trainable, own non-trainable, then each sublayer's (Keras order). */
  get weights(): LayerVariable[] {
    return orderedWeights(this.ownWeights, this.sublayers);
  }

  /** Weights the optimizer updates. */
  get trainableWeights(): LayerVariable[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** Weights the optimizer leaves alone (moving statistics, frozen weights). */
  get nonTrainableWeights(): LayerVariable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /** Copies of the weight values, in `weights` order; the caller disposes them. */
  getWeights(): tf.Tensor[] {
    return this.weights.map((w) => w.value.clone());
  }

  /** Sets weight values in `weights` order; counts and shapes must match. */
  setWeights(values: tf.Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}): setWeights expected ${weights.length} arrays, got ${values.length}`,
      );
    }
    weights.forEach((w, i) => w.assign(values[i]!));
  }

  /** Number of scalars in the layer's weights. */
  countParams(): number {
    if (!this.built) {
      throw new NotBuiltError(
        `Layer "${this.name}" (${this.className}) is not built yet; call it on an input or build it first`,
      );
    }
    return countScalars(this.weights);
  }

  /** Weight regularization penalties (one scalar per regularized weight). */
  regularizationLosses(): tf.Scalar[] {
    return this.weights.filter((w) => w.regularizer !== null).map((w) => w.regularizer!.call(w.value));
  }

  /** Adds a loss computed in `call` (e.g. activity regularization) to the training objective. */
  addLoss(loss: tf.Tensor): void {
    recordLoss(loss);
  }

  // ---- calling ------------------------------------------------------------------------

  /** Calls the layer on symbolic inputs (building a model) and returns its single output. */
  apply(inputs: KerasTensor | KerasTensor[], args?: ApplyArgs): KerasTensor;
  /** Calls the layer on concrete tensors (eager) and returns its single output. */
  apply(inputs: tf.Tensor | tf.Tensor[], args?: ApplyArgs): tf.Tensor;
  apply(inputs: KerasTensor | KerasTensor[] | tf.Tensor | tf.Tensor[], args: ApplyArgs = {}): KerasTensor | tf.Tensor {
    const outputs = this.applyMulti(inputs as KerasTensor[], args) as (KerasTensor | tf.Tensor)[];
    if (outputs.length !== 1) {
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}) returns ${outputs.length} outputs; use applyMulti()`,
      );
    }
    return outputs[0]!;
  }

  /** Like `apply`, for layers with several outputs (e.g. `LSTM({returnState: true})`). */
  applyMulti(inputs: KerasTensor | KerasTensor[], args?: ApplyArgs): KerasTensor[];
  applyMulti(inputs: tf.Tensor | tf.Tensor[], args?: ApplyArgs): tf.Tensor[];
  applyMulti(
    inputs: KerasTensor | KerasTensor[] | tf.Tensor | tf.Tensor[],
    args: ApplyArgs = {},
  ): KerasTensor[] | tf.Tensor[] {
    if (isSymbolic(inputs)) {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      this.assertInputCompatible(list.map((t) => t.shape));
      return applySymbolic(this, inputs, args, () => this.symbolicOutputDtype(list));
    }
    return applyEager(this, inputs, args);
  }

  /** Builds if needed, checks the inputs and runs `call` (used by models and eager `apply`). */
  invoke(inputs: TensorOrList, context: CallContext): LayerOutput {
    const shapes = shapesOf(inputs);
    this.assertInputCompatible(shapes);
    this.maybeBuild(Array.isArray(inputs) ? shapes : shapes[0]!);
    const outputs = this.call(inputs, context);
    // Keras records the penalty on every call (evaluate reports it too), divided by the batch size.
    if (this.activityRegularizer !== null && isCollectingLosses()) {
      for (const out of Array.isArray(outputs) ? outputs : [outputs]) {
        this.addLoss(tf.div(this.activityRegularizer.call(out), out.shape[0] ?? 1));
      }
    }
    return outputs;
  }

  /** Runs `build` once, with the first input shape seen. */
  maybeBuild(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
    this.builtInputShape = inputShape;
  }

  /** Dtype of the symbolic outputs of a call on `inputs` (the layer's dtype; ops override it). */
  protected symbolicOutputDtype(_inputs: readonly KerasTensor[]): string {
    return this.dtype;
  }

  /** Checks input shapes against `inputSpec`, naming the layer and both shapes on mismatch. */
  protected assertInputCompatible(shapes: Shape[]): void {
    if (this.inputSpec !== null) checkInputSpec(this.inputSpec, shapes, `Layer "${this.name}" (${this.className})`);
  }

  /** Node's `console.log`/`util.inspect` show a layer as an object (it is a callable one, see `CallableLayerBase`). */
  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    const copy = Object.setPrototypeOf({ ...this }, Object.getPrototypeOf(this) as object) as object;
    return inspect(copy, { ...options, customInspect: false });
  }

  /** Frees the layer's weights. */
  dispose(): void {
    for (const w of this.ownWeights) w.dispose();
    for (const layer of this.sublayers) layer.dispose();
  }
}
