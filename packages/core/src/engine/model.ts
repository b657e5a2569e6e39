/**
 * `Model`: a functional model with Keras 3's training API — `compile`, `fit`, `evaluate`,
 * `predict`, `trainOnBatch`/`testOnBatch`/`predictOnBatch`, and `save`/`saveWeights`/`loadWeights`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { History } from '../callbacks/history.js';
import type { LayerGradientNorm, Logs } from '../callbacks/callback.js';
import type { DataInput } from '../data/convert.js';
import { serializeObject } from '../utils/serialization.js';
import { outputNames, type Batch } from '../data/arrays.js';
import { isBatchStream, type BatchStream } from '../data/batch-stream.js';
import { Loss } from '../losses/loss.js';
import { Metric } from '../metrics/metric.js';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.js';
import {
  EVALUATE_OPTIONS,
  FIT_OPTIONS,
  PREDICT_OPTIONS,
  type EvaluateArgs,
  type FitArgs,
  type PredictArgs,
  type SampleWeightInput,
} from '../training/args.js';
import {
  CompiledHeads,
  validateCompileSpec,
  type LossSpec,
  type LossWeightsSpec,
  type MetricSpec,
} from '../training/compiled.js';
import { testStep as compiledTestStep, trainStep as compiledTrainStep } from '../training/step.js';
import {
  evaluateLoop,
  fitLoop,
  predictLoop,
  predictStreamLoop,
  predictOnBatchLoop,
  testOnBatchLoop,
  trainOnBatchLoop,
} from '../training/loops.js';
import { Functional, type FunctionalArgs } from './functional.js';
import { KerasTensor } from './keras-tensor.js';
import { modelSaver } from './model-saver.js';
import { checkOptionKeys } from '../utils/option-keys.js';
import { ConfigurationError, NotCompiledError } from '../utils/errors.js';

/** Options of `compile` (Keras 3 names; defaults as Keras). */
export interface CompileArgs {
  /** Optimizer name (`rmsprop` default, `adam`, `adamw`, `sgd`, `adagrad`), instance or `{className, config}`. */
  optimizer?: OptimizerIdentifier;
  /** Loss name (`mse`, `categorical_crossentropy`, …), `Loss`, function; a list or dict (by output name) for several outputs. */
  loss?: LossSpec;
  /** Metrics (`accuracy`, `mae`, …): a list, or per output (list of lists, or dict by output name). */
  metrics?: MetricSpec;
  /** Metrics weighted by `sampleWeight`/`classWeight`. */
  weightedMetrics?: MetricSpec;
  /** Scalar weight of each output's loss in the total. */
  lossWeights?: LossWeightsSpec;
}

function serializeIdentifier(value: unknown, module: string): unknown {
  if (value instanceof Loss || value instanceof Metric) {
    return serializeObject(module, { className: value.className, getConfig: () => value.getConfig() });
  }
  if (typeof value === 'function') return (value as { name?: string }).name || null;
  if (Array.isArray(value)) return value.map((v) => serializeIdentifier(v, module));
  if (value !== null && typeof value === 'object' && !('className' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serializeIdentifier(v, module)]));
  }
  return value ?? null;
}

/** Every option of `compile`, for the unknown-key check. */
const COMPILE_OPTIONS: Readonly<Record<keyof CompileArgs, true>> = {
  optimizer: true,
  loss: true,
  metrics: true,
  weightedMetrics: true,
  lossWeights: true,
};

/** The inputs or outputs of a functional model: one tensor or a list. */
export type ModelEnds = KerasTensor | KerasTensor[];

/**
 * What `predict` returns for a model whose outputs are `Outputs`: one tensor for a single output
 * tensor, a list for a list of outputs (even of one, as Keras), either when unknown (a loaded model).
 */
export type PredictOutput<Outputs extends ModelEnds> = Outputs extends KerasTensor[]
  ? tf.Tensor[]
  : Outputs extends KerasTensor
    ? tf.Tensor
    : tf.Tensor | tf.Tensor[];

const MODEL_OPTIONS = ['inputs', 'outputs', 'name', 'trainable'] as const;

/** Keras's two spellings of a functional model's arguments, checked, as one object. */
function modelArgs(
  first: ModelEnds | Partial<FunctionalArgs>,
  outputs: ModelEnds | undefined,
  rest: Pick<FunctionalArgs, 'name' | 'trainable'>,
): Partial<FunctionalArgs> {
  if (first instanceof KerasTensor || Array.isArray(first)) {
    if (outputs === undefined)
      throw new ConfigurationError(
        'Model(inputs, outputs): the outputs are missing; give both, as keras.Model(inputs, outputs)',
      );
    checkOptionKeys('Model', rest, ['name', 'trainable']);
    return { ...rest, inputs: first, outputs };
  }
  if (first === null || typeof first !== 'object') {
    throw new ConfigurationError(
      `Model: expected inputs and outputs (tensors from Input() and layer.apply), or { inputs, outputs }; got ${String(first)}`,
    );
  }
  if (outputs !== undefined)
    throw new ConfigurationError(
      'Model: give the outputs either positionally, Model(inputs, outputs), or as { inputs, outputs }, not both',
    );
  checkOptionKeys('Model', first, MODEL_OPTIONS);
  return first;
}

/**
 * Splits `(x, y, args)` / `(x, args)`: `fit(stream, args)` and `fit(x, args)` (no targets, for a
 * custom `trainStep`, as Keras's `fit(x, epochs=…)`) take the options second. A second argument
 * counts as options when it is a plain object whose keys are all option names and none an output
 * name (a dict of targets is keyed by output names). With a stream, data there is Keras's
 * unsupported `y`.
 */
function splitArgs<A extends object>(
  x: unknown,
  y: DataInput | A | null | undefined,
  args: A | undefined,
  options: readonly string[],
  outputs: readonly string[],
): [DataInput | null | undefined, A] {
  const plain =
    y !== null && typeof y === 'object' && !Array.isArray(y) && Object.getPrototypeOf(y) === Object.prototype;
  const keys = plain ? Object.keys(y) : [];
  const looksLikeOptions = plain && keys.every((k) => options.includes(k)) && !keys.some((k) => outputs.includes(k));
  if (isBatchStream(x)) {
    if (y === undefined || y === null) return [undefined, args ?? ({} as A)];
    if (plain) return [undefined, { ...(y as A), ...args }];
    throw new ConfigurationError(
      '`y` is not supported when x is a generator or iterable: yield [x, y] batches (Keras: "argument `y` is not supported when using a generator")',
    );
  }
  if (args === undefined && looksLikeOptions && keys.length > 0) return [undefined, y as A];
  return [y as DataInput | null | undefined, args ?? ({} as A)];
}

/**
 * A functional model, as `keras.Model(inputs, outputs)`, with training.
 *
 * `Outputs` is the type of the outputs it was built with, inferred by the constructor, and types
 * `predict`: `new Model(input, output)` predicts one `tf.Tensor`, `new Model(input, [a, b])` a
 * `tf.Tensor[]`, and a `Sequential` one tensor; no cast needed. A model from `loadModel` is a
 * `Model` whose outputs are not known to the compiler: its `predict` is `tf.Tensor | tf.Tensor[]`.
 */
export class Model<Outputs extends ModelEnds = ModelEnds> extends Functional {
  static override readonly className: string = 'Functional';
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** The `History` of the last `fit`. */
  history: History | null = null;
  private compiledOptimizer: Optimizer | null = null;
  private compileArgs: CompileArgs | null = null;
  private heads: CompiledHeads | null = null;
  /**
   * @internal Set by `fit` for the built-in `trainStep`: whether callbacks want per-layer
   * gradient norms, and the norms of the last step (read and cleared by the loop).
   */
  readonly stepGradients: { wanted: boolean; norms: LayerGradientNorm[] | null } = { wanted: false, norms: null };

  /**
   * A functional model from its input and output tensors, as Keras's `keras.Model(inputs, outputs)`:
   * either positionally or as one object (`{ inputs, outputs, name }`).
   *
   * @example
   * ```ts
   * const inputs = Input([784]);
   * const outputs = new layers.Dense(10, { activation: 'softmax' }).apply(inputs) as KerasTensor;
   * const model = new Model(inputs, outputs, { name: 'classifier' }); // or new Model({ inputs, outputs })
   * ```
   */
  constructor(args?: Partial<Omit<FunctionalArgs, 'outputs'>> & { outputs?: Outputs });
  constructor(inputs: ModelEnds, outputs: Outputs, args?: Pick<FunctionalArgs, 'name' | 'trainable'>);
  constructor(
    first: ModelEnds | Partial<FunctionalArgs> = {},
    outputs?: ModelEnds,
    args: Pick<FunctionalArgs, 'name' | 'trainable'> = {},
  ) {
    super(modelArgs(first, outputs, args));
  }

  /**
   * Configures training: optimizer (default `rmsprop`), loss(es), metrics and loss weights.
   * Unknown names fail here with the list of valid ones.
   *
   * @example
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
   * // several outputs: losses by output name
   * model.compile({ loss: { priority: 'binary_crossentropy', department: 'categorical_crossentropy' }, lossWeights: { priority: 1, department: 0.2 } });
   * ```
   */
  compile(args: CompileArgs = {}): void {
    checkOptionKeys('compile', args, Object.keys(COMPILE_OPTIONS));
    validateCompileSpec(args);
    const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
    if (this.compiledOptimizer !== null && this.compiledOptimizer !== optimizer) this.compiledOptimizer.dispose();
    this.compiledOptimizer = optimizer;
    this.compileArgs = { ...args };
    this.heads = null;
  }

  /** Whether `compile` has been called. */
  get compiled(): boolean {
    return this.compileArgs !== null;
  }

  /** The optimizer given to `compile`. */
  get optimizer(): Optimizer {
    if (this.compiledOptimizer === null)
      throw new NotCompiledError(`Model "${this.name}" has no optimizer: call compile() first`);
    return this.compiledOptimizer;
  }

  /** The loss given to `compile` (null before). */
  get loss(): LossSpec | null {
    return this.compileArgs?.loss ?? null;
  }

  /** @internal Fails clearly when a training method is used before `compile`. */
  assertCompiled(method: string): void {
    if (this.compileArgs === null)
      throw new NotCompiledError(`Model "${this.name}": call compile() before ${method}()`);
  }

  /** @internal The per-output losses and metrics, created on first use. */
  compiledHeads(outputNames: string[]): CompiledHeads {
    this.assertCompiled('fit');
    if (this.heads === null || this.heads.outputNames.join('\u0000') !== outputNames.join('\u0000')) {
      const { loss, metrics, weightedMetrics, lossWeights } = this.compileArgs!;
      this.heads = new CompiledHeads({ loss, metrics, weightedMetrics, lossWeights }, outputNames);
    }
    return this.heads;
  }

  /** The model's metrics in Keras order (`loss` tracker, compiled metrics, per-output losses); empty before training. */
  get metrics(): Metric[] {
    return this.heads?.metricsInOrder ?? [];
  }

  /** Names of `metrics` (the order of `evaluate`'s list result). */
  get metricsNames(): string[] {
    return this.metrics.map((m) => m.name);
  }

  /** Resets every metric in `metrics` (`fit` does at each epoch, `evaluate` before it starts). */
  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  /**
   * One training step on a batch (Keras `train_step`); `fit` and `trainOnBatch` call it for every
   * batch and pass the logs it returns to the callbacks. The built-in step computes the compiled
   * loss, applies the optimizer and updates the compiled metrics.
   *
   * Override it for custom training: compute a loss under a {@link GradientTape}, apply the
   * gradients with `this.optimizer.applyGradients(grads, this.trainableWeights)`, update your
   * metric trackers and return their results. Return the trackers from a `metrics` getter too, so
   * that `fit` resets them at each epoch, as Keras. `data.x` lists the inputs in model order
   * (`data.x[0]` for one input); `data.y` is empty when no targets were given.
   *
   * @example
   * ```ts
   * class MyModel extends Model {
   *   readonly lossTracker = new metrics.Mean('loss');
   *   override get metrics() { return [this.lossTracker]; }
   *   override trainStep(data: Batch): Logs {
   *     const tape = new GradientTape();
   *     try {
   *       const loss = tape.record(() => tf.losses.meanSquaredError(data.y[0]!, this.call(data.x[0]!, { training: true, mask: null }) as tf.Tensor) as tf.Scalar);
   *       this.optimizer.applyGradients(tape.gradient(loss, this.trainableWeights), this.trainableWeights);
   *       this.lossTracker.updateState(loss);
   *     } finally {
   *       tape.dispose();
   *     }
   *     return { loss: this.lossTracker.result() };
   *   }
   * }
   * ```
   */
  trainStep(data: Batch): Logs {
    const heads = this.compiledHeads(outputNames(this));
    const result = compiledTrainStep(this, heads, this.optimizer, data, this.stepGradients.wanted);
    this.stepGradients.norms = result.gradientNorms;
    return heads.results();
  }

  /**
   * One evaluation step on a batch (Keras `test_step`); `evaluate`, the validation of `fit` and
   * `testOnBatch` call it. The built-in step computes the compiled loss and metrics in inference mode.
   */
  testStep(data: Batch): Logs {
    const heads = this.compiledHeads(outputNames(this));
    compiledTestStep(this, heads, data);
    return heads.results();
  }

  /**
   * Trains the model (Keras `fit`); resolves to the `History`.
   *
   * `x` is either in-memory data with its targets `y` (left out, `fit(x, args)`, or `null` when a
   * custom `trainStep` needs none), or a generator / iterable of batches — `[x, y]`, `[x, y, sampleWeight]` or
   * `{x, y, sampleWeight}` — for data larger than memory, given without `y`:
   * `fit(batches(), { epochs, stepsPerEpoch })`. A generator object is read once (epochs continue
   * where the last one stopped; when it is exhausted training ends with Keras's "ran out of data"
   * warning); an iterable that makes a new iterator on each `[Symbol.iterator]()` call is read
   * afresh each epoch. The loop disposes the tensors of each yielded batch after its step (as
   * TF.js's `fitDataset`): yield new tensors for every batch.
   *
   * @example
   * ```ts
   * const history = await model.fit(xTrain, yTrain, { batchSize: 32, epochs: 10, validationSplit: 0.1 });
   * console.log(history.history['val_loss']); // one value per epoch
   * ```
   */
  async fit(x: DataInput, y: DataInput | null | undefined, args?: FitArgs): Promise<History>;
  async fit(x: DataInput | BatchStream, args?: FitArgs): Promise<History>;
  async fit(x: DataInput | BatchStream, y?: DataInput | FitArgs | null, args?: FitArgs): Promise<History> {
    const [targets, options] = splitArgs(x, y, args, Object.keys(FIT_OPTIONS), outputNames(this));
    checkOptionKeys('fit', options, Object.keys(FIT_OPTIONS));
    return fitLoop(this, x, targets, options);
  }

  /**
   * Loss and metrics on data (Keras `evaluate`): the loss alone when there are no metrics,
   * else `[loss, ...metrics]` in `metricsNames` order, or the logs with `returnDict`. Which of the
   * first two depends on `compile`, so it is typed `number | number[]`: pass `{ returnDict: true }`
   * for values read by name without a cast (`(await model.evaluate(x, y, { returnDict: true })).loss`).
   *
   * @example
   * ```ts
   * const [loss, accuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
   * const logs = await model.evaluate(xTest, yTest, { returnDict: true }); // { loss, accuracy }
   * ```
   */
  async evaluate(
    x: DataInput,
    y: DataInput | null | undefined,
    args: EvaluateArgs & { returnDict: true },
  ): Promise<Logs>;
  async evaluate(x: DataInput, y: DataInput | null | undefined, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(x: DataInput | BatchStream, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: DataInput | BatchStream, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(
    x: DataInput | BatchStream,
    y?: DataInput | EvaluateArgs | null,
    args?: EvaluateArgs,
  ): Promise<number | number[] | Logs> {
    const [targets, options] = splitArgs(x, y, args, Object.keys(EVALUATE_OPTIONS), outputNames(this));
    checkOptionKeys('evaluate', options, Object.keys(EVALUATE_OPTIONS));
    const logs = await evaluateLoop(this, x, targets, options);
    return options.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /**
   * Outputs for inputs, computed in batches: one tensor for a model built with one output
   * tensor (and `Sequential`), a list for a list of outputs; typed so (see {@link PredictOutput}).
   * Given a generator or iterable of input batches (`x`, `{x}`, or `[x, y]` pairs whose `y` is
   * ignored), resolves to the concatenated outputs instead.
   *
   * @example
   * ```ts
   * const model = new Model(inputs, new layers.Dense(1).apply(inputs));
   * const y: tf.Tensor = model.predict(x); // no cast
   * ```
   */
  predict(x: DataInput, args?: PredictArgs): PredictOutput<Outputs>;
  predict(x: BatchStream<unknown>, args?: PredictArgs): Promise<PredictOutput<Outputs>>;
  predict(
    x: DataInput | BatchStream<unknown>,
    args: PredictArgs = {},
  ): PredictOutput<Outputs> | Promise<PredictOutput<Outputs>> {
    checkOptionKeys('predict', args, Object.keys(PREDICT_OPTIONS));
    if (isBatchStream(x)) return predictStreamLoop(this, x, args).then((outputs) => this.singleOutputResult(outputs));
    const outputs = predictLoop(this, x, args);
    return this.singleOutputResult(outputs);
  }

  /** Outputs for a single batch, as `predict` returns them. */
  predictOnBatch(x: DataInput): PredictOutput<Outputs> {
    return this.singleOutputResult(predictOnBatchLoop(this, x));
  }

  /** One gradient step on one batch; returns the loss (and metrics) of that batch. */
  trainOnBatch(
    x: DataInput,
    y: DataInput | null,
    args: { sampleWeight?: SampleWeightInput; classWeight?: Record<number, number>; returnDict?: boolean } = {},
  ): number | number[] | Logs {
    const logs = trainOnBatchLoop(this, x, y, args.sampleWeight, args.classWeight);
    return args.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /** Loss (and metrics) on one batch without training. */
  testOnBatch(
    x: DataInput,
    y: DataInput | null,
    args: { sampleWeight?: SampleWeightInput; returnDict?: boolean } = {},
  ): number | number[] | Logs {
    const logs = testOnBatchLoop(this, x, y, args.sampleWeight);
    return args.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /** Saves the model as a `.keras` file. */
  async save(path: string): Promise<void> {
    await modelSaver('save').saveModel(this, path);
  }

  /** Saves the weights as a `.weights.h5` file. */
  async saveWeights(path: string): Promise<void> {
    await modelSaver('saveWeights').saveModelWeights(this, path);
  }

  /** The model's Keras 3 JSON (`model.to_json()`: architecture only, no weights, no compile config). */
  toJson(): string {
    return modelSaver('toJson').modelToKerasJson(this);
  }

  /** Loads weights from a `.weights.h5` (or `.keras`) file. */
  async loadWeights(path: string): Promise<void> {
    await modelSaver('loadWeights').loadModelWeights(this, path);
  }

  /** Keras `compile_config` (camelCase; the saving code converts it to snake_case), or undefined when not compiled. */
  getCompileConfig(): Record<string, unknown> | undefined {
    if (this.compileArgs === null) return undefined;
    const opt = this.optimizer;
    return {
      optimizer: serializeObject('keras.optimizers', { className: opt.className, getConfig: () => opt.getConfig() }),
      loss: serializeIdentifier(this.compileArgs.loss, 'keras.losses'),
      lossWeights: this.compileArgs.lossWeights ?? null,
      metrics: serializeIdentifier(this.compileArgs.metrics, 'keras.metrics'),
      weightedMetrics: serializeIdentifier(this.compileArgs.weightedMetrics, 'keras.metrics'),
      runEagerly: false,
      stepsPerExecution: 1,
      jitCompile: false,
    };
  }

  /** Frees weights and optimizer state. */
  override dispose(): void {
    super.dispose();
    this.compiledOptimizer?.dispose();
  }

  private singleOutputResult(outputs: tf.Tensor[]): PredictOutput<Outputs> {
    // `singleOutput` is what the constructor's `Outputs` says: a single tensor, not a list.
    return (this.singleOutput ? outputs[0]! : outputs) as PredictOutput<Outputs>;
  }

  /** Logs as Keras's `evaluate` returns them: metric order first, other keys sorted; one value unwrapped. */
  private flattenLogs(logs: Logs): number | number[] {
    const names = this.metricsNames;
    const values = names.filter((n) => Object.hasOwn(logs, n)).map((n) => logs[n]!);
    for (const key of Object.keys(logs).sort()) if (!names.includes(key)) values.push(logs[key]!);
    return values.length === 1 ? values[0]! : values;
  }
}
