/**
 * The base class of every layer, with Keras 3's small surface: `build`, `call`,
 * `computeOutputShape`, `getConfig` — plus `apply` for symbolic (model building)
 * and eager use.
 */
import * as tf from '@tensorflow/tfjs-core';
import { inferLayerOutputShapes, type JsonObject, type Shape } from '@strata/graph';
import { getConstraint, type Constraint, type ConstraintIdentifier } from '../constraints/index.js';
import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import { splitCallKwargs, type CallKwargValue } from './call-kwargs.js';
import { CallableLayerBase } from './callable-layer.js';
import { configToSnake } from './config-case.js';
import { KerasTensor, isSymbolic, type CallNodeRecord } from './keras-tensor.js';
import { checkLayerOptions } from './layer-options.js';
import { isCollectingLosses, recordLoss } from './losses-collector.js';
import { autoName } from './naming.js';
import { formatShape, shapesOf, type LayerOutput, type TensorOrList } from './shape-utils.js';
import { LayerVariable } from './variable.js';
import { chargeWeight } from './weight-budget.js';

/** A dtype given as a name or as a serialized Keras `DTypePolicy`. */
export type DTypeIdentifier = string | { className?: string; config?: { name?: string } };

/** Options every layer accepts. */
export interface LayerArgs {
  /** Layer name; unique within a model. Default: Keras's automatic name (`dense`, `dense_1`, …). */
  name?: string;
  /** Whether the layer's weights are updated in training (default true). */
  trainable?: boolean;
  /** Compute and weight dtype (default `float32`). */
  dtype?: DTypeIdentifier;
  /** Input shape without the batch dimension; makes a `Sequential` model start with an `InputLayer`. */
  inputShape?: (number | null)[];
  /** Fixed batch size to go with `inputShape`. */
  batchSize?: number;
  /** Penalty on the layer's output, added to the loss in training. */
  activityRegularizer?: RegularizerIdentifier | null;
}

export type { CallKwargValue } from './call-kwargs.js';

/** Per-call arguments: training mode and masks. */
export interface CallContext {
  /** True in training (dropout active, BatchNormalization uses batch statistics). */
  training?: boolean;
  /** Mask of the input (e.g. from `Embedding({maskZero: true})` or `Masking`), one per input for lists. */
  mask?: tf.Tensor | (tf.Tensor | null)[] | null;
  /** Initial states of a recurrent layer. */
  initialState?: tf.Tensor[];
  /** Plain keyword arguments of the call (camelCase, among the layer's `callKeywordArguments`). */
  kwargs?: Readonly<Record<string, CallKwargValue>>;
  /** Tensor keyword arguments of the call (camelCase), e.g. MultiHeadAttention's `attentionMask`. */
  tensorKwargs?: Readonly<Record<string, tf.Tensor>>;
  /** The masks those tensors carry (from `Masking`, `Embedding({maskZero})`), by the same names. */
  tensorKwargMasks?: Readonly<Record<string, tf.Tensor | null>>;
}

/** Keyword arguments of `apply`, recorded on the node for symbolic calls. */
export interface ApplyArgs {
  /** Forces training mode for this call (e.g. `{ training: true }` for Monte-Carlo dropout). */
  training?: boolean;
  /** Explicit input mask; a symbolic one is recorded on the node (Keras 3's `mask` kwarg). */
  mask?: tf.Tensor | (tf.Tensor | null)[] | null | KerasTensor;
  /** Initial states for recurrent layers. */
  initialState?: (tf.Tensor | KerasTensor)[];
  /**
   * Other keyword arguments of the layer's call, camelCase and among its `callKeywordArguments`
   * (e.g. MultiHeadAttention's `{ useCausalMask: true, attentionMask: t }`). Tensors (symbolic
   * or concrete) become inputs of the call; plain values are recorded on the node.
   */
  kwargs?: Readonly<Record<string, CallKwargValue | tf.Tensor | KerasTensor>>;
}

/** What a layer accepts as input (Keras `InputSpec`), checked before each call. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of axes (negative indices count from the end). */
  axes?: Record<number, number>;
}

/** A layer config in camelCase (the runtime's form of the Keras config). */
export type LayerConfig = Record<string, unknown>;

/** Options of {@link Layer.addWeight}. */
export interface AddWeightOptions {
  initializer?: InitializerIdentifier;
  trainable?: boolean;
  regularizer?: RegularizerIdentifier | Regularizer | null;
  constraint?: ConstraintIdentifier | Constraint | null;
  dtype?: tf.DataType;
}

/** A layer class as the registry sees it. */
export interface LayerClass {
  readonly className: string;
  /** Option keys the class accepts besides its base classes' (see {@link Layer.optionKeys}). */
  readonly optionKeys?: readonly string[];
  fromConfig(config: LayerConfig): Layer;
}

/** The option keys of {@link LayerArgs}, accepted by every layer. */
export const LAYER_OPTION_KEYS: readonly string[] = ['name', 'trainable', 'dtype', 'inputShape', 'batchSize', 'activityRegularizer'];

function dtypeName(dtype: DTypeIdentifier | undefined): string {
  if (dtype === undefined) return 'float32';
  if (typeof dtype === 'string') return dtype;
  return dtype.config?.name ?? 'float32';
}

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
    if (this.name.includes('/')) throw new Error(`Layer name "${this.name}" must not contain "/"`);
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
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.built = true;
  }

  /** The layer's computation on concrete tensors. */
  abstract call(inputs: TensorOrList, context: CallContext): LayerOutput;

  /**
   * Output shape(s) for the given input shape(s). The default asks `@strata/graph`'s shape
   * inference, which works on the layer's Keras config, so one rule serves linter and runtime.
   */
  computeOutputShape(inputShape: Shape | Shape[], kwargs: Readonly<Record<string, CallKwargValue>> = {}): Shape | Shape[] {
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
  computeMask(inputs: TensorOrList, mask: CallContext['mask'], context?: CallContext): tf.Tensor | (tf.Tensor | null)[] | null {
    void inputs;
    void context;
    if (!this.supportsMasking || mask === undefined || mask === null) return null;
    return Array.isArray(mask) ? (mask[0] ?? null) : mask;
  }

  /** The layer's config (camelCase); `fromConfig(getConfig())` rebuilds an equal layer. */
  getConfig(): LayerConfig {
    const config: LayerConfig = {
      name: this.name,
      trainable: this.trainable,
      dtype: { module: 'keras', className: 'DTypePolicy', config: { name: this.dtype }, registeredName: null },
    };
    // As Keras's base Layer: included only when set.
    if (this.activityRegularizer !== null) config['activityRegularizer'] = serializeRegularizer(this.activityRegularizer);
    return config;
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
    chargeWeight(this.name, name, shape);
    const initializer = getInitializer(options.initializer ?? 'glorot_uniform');
    const initial = initializer.call(shape, options.dtype ?? (this.dtype as tf.DataType));
    const regularizer = options.regularizer ? getRegularizer(options.regularizer) : null;
    const constraint = options.constraint ? getConstraint(options.constraint) : null;
    const weight = new LayerVariable(name, initial, this, options.trainable ?? true, regularizer, constraint);
    initial.dispose();
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
    const own = [...this.ownWeights.filter((w) => w.createdTrainable), ...this.ownWeights.filter((w) => !w.createdTrainable)];
    const seen = new Set(own);
    for (const layer of this.sublayers) {
      for (const w of layer.weights) {
        if (!seen.has(w)) {
          seen.add(w);
          own.push(w);
        }
      }
    }
    return own;
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
      throw new Error(`Layer "${this.name}" (${this.className}): setWeights expected ${weights.length} arrays, got ${values.length}`);
    }
    weights.forEach((w, i) => w.assign(values[i]!));
  }

  /** Number of scalars in the layer's weights. */
  countParams(): number {
    if (!this.built) {
      throw new Error(`Layer "${this.name}" (${this.className}) is not built yet; call it on an input or build it first`);
    }
    return this.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
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
      throw new Error(`Layer "${this.name}" (${this.className}) returns ${outputs.length} outputs; use applyMulti()`);
    }
    return outputs[0]!;
  }

  /** Like `apply`, for layers with several outputs (e.g. `LSTM({returnState: true})`). */
  applyMulti(inputs: KerasTensor | KerasTensor[], args?: ApplyArgs): KerasTensor[];
  applyMulti(inputs: tf.Tensor | tf.Tensor[], args?: ApplyArgs): tf.Tensor[];
  applyMulti(inputs: KerasTensor | KerasTensor[] | tf.Tensor | tf.Tensor[], args: ApplyArgs = {}): KerasTensor[] | tf.Tensor[] {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, args);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
      throw new Error(`Layer "${this.name}" (${this.className}): inputs must be KerasTensors or tf.Tensors, not a mix or other values`);
    }
    const initialState = args.initialState?.filter((s): s is tf.Tensor => s instanceof tf.Tensor);
    if (args.mask instanceof KerasTensor) {
      throw new Error(`Layer "${this.name}" (${this.className}): a symbolic mask needs symbolic inputs; got concrete tensors`);
    }
    const { plain, tensors } = splitCallKwargs(this, args.kwargs);
    const context: CallContext = { training: args.training ?? false, mask: args.mask ?? null, initialState };
    if (Object.keys(plain).length > 0) context.kwargs = plain;
    if (tensors.length > 0) {
      if (!tensors.every(([, t]) => t instanceof tf.Tensor)) {
        throw new Error(`Layer "${this.name}" (${this.className}): keyword tensors must be tf.Tensors when the inputs are`);
      }
      context.tensorKwargs = Object.fromEntries(tensors) as Record<string, tf.Tensor>;
    }
    const out = this.invoke(inputs as TensorOrList, context);
    return Array.isArray(out) ? out : [out];
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

  private applySymbolic(inputs: KerasTensor | KerasTensor[], args: ApplyArgs): KerasTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((t) => t.shape);
    this.assertInputCompatible(shapes);
    const shapeArg = Array.isArray(inputs) ? shapes : shapes[0]!;
    const { plain, tensors } = splitCallKwargs(this, args.kwargs);
    const kwargTensors = tensors.map(([name, t]) => {
      if (!(t instanceof KerasTensor)) {
        throw new Error(`Layer "${this.name}" (${this.className}): keyword argument "${name}" must be a KerasTensor when the inputs are symbolic`);
      }
      return t;
    });
    this.maybeBuild(shapeArg);
    const outShape = this.computeOutputShape(shapeArg, plain);
    const outShapes = isShapeList(outShape) ? outShape : [outShape];
    const nodeIndex = this.inboundNodes.length;
    const outDtype = this.symbolicOutputDtype(list);
    const outputs = outShapes.map((s, i) => new KerasTensor(s, outDtype, this, nodeIndex, i));
    const kwargs: Record<string, unknown> = { ...plain };
    if (args.training !== undefined) kwargs['training'] = args.training;
    const symbolicStates = args.initialState?.filter((s): s is KerasTensor => s instanceof KerasTensor) ?? [];
    const mask = args.mask instanceof KerasTensor ? [args.mask] : [];
    this.inboundNodes.push({
      layer: this,
      index: nodeIndex,
      inputs: [...list, ...mask, ...symbolicStates, ...kwargTensors],
      outputs,
      inputsAsList: Array.isArray(inputs),
      initialStateCount: symbolicStates.length,
      explicitMask: mask.length > 0,
      kwargs,
      tensorKwargNames: tensors.map(([name]) => name),
    });
    return outputs;
  }

  /** Dtype of the symbolic outputs of a call on `inputs` (the layer's dtype; ops override it). */
  protected symbolicOutputDtype(inputs: readonly KerasTensor[]): string {
    void inputs;
    return this.dtype;
  }

  /** Checks input shapes against `inputSpec`, naming the layer and both shapes on mismatch. */
  protected assertInputCompatible(shapes: Shape[]): void {
    const spec = this.inputSpec;
    if (spec === null) return;
    for (const shape of shapes) {
      const where = `Layer "${this.name}" (${this.className})`;
      if (spec.ndim !== undefined && shape.length !== spec.ndim) {
        throw new Error(`${where}: expected input of rank ${spec.ndim}, got shape ${formatShape(shape)} (rank ${shape.length})`);
      }
      if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
        throw new Error(`${where}: expected input of rank ≥ ${spec.minNdim}, got shape ${formatShape(shape)}`);
      }
      if (spec.maxNdim !== undefined && shape.length > spec.maxNdim) {
        throw new Error(`${where}: expected input of rank ≤ ${spec.maxNdim}, got shape ${formatShape(shape)}`);
      }
      for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(axisText);
        const actual = shape[axis < 0 ? shape.length + axis : axis];
        if (actual !== null && actual !== undefined && actual !== size) {
          throw new Error(`${where}: expected axis ${axis} of the input to have size ${size}, got shape ${formatShape(shape)}`);
        }
      }
    }
  }

  /** Node's `console.log`/`util.inspect` show a layer as an object (it is a callable one, see `CallableLayerBase`). */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    void depth;
    const copy = Object.setPrototypeOf({ ...this }, Object.getPrototypeOf(this) as object) as object;
    return inspect(copy, { ...options, customInspect: false });
  }

  /** Frees the layer's weights. */
  dispose(): void {
    for (const w of this.ownWeights) w.dispose();
    for (const layer of this.sublayers) layer.dispose();
  }
}

/** True when a value is a list of shapes rather than a single shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}
