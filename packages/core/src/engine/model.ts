/**
 * `Model`: a functional model with Keras 3's training API — `compile`, `fit`, `evaluate`,
 * `predict`, `trainOnBatch`/`testOnBatch`/`predictOnBatch`, and `save`/`saveWeights`/`loadWeights`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { History } from '../callbacks/history.js';
import type { Logs } from '../callbacks/callback.js';
import type { DataInput } from '../data/convert.js';
import { serializeObject } from './serialization.js';
import { Loss } from '../losses/loss.js';
import { Metric } from '../metrics/metric.js';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, PREDICT_OPTIONS, type EvaluateArgs, type FitArgs, type PredictArgs, type SampleWeightInput } from '../training/args.js';
import { CompiledHeads, validateCompileSpec, type LossSpec, type LossWeightsSpec, type MetricSpec } from '../training/compiled.js';
import {
  evaluateLoop,
  fitLoop,
  predictLoop,
  predictOnBatchLoop,
  testOnBatchLoop,
  trainOnBatchLoop,
} from '../training/loops.js';
import { Functional, type FunctionalArgs } from './functional.js';
import { KerasTensor } from './keras-tensor.js';
import { checkOptionKeys } from '../utils/option-keys.js';

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

interface SavingModule {
  saveModel(model: Functional, path: string): Promise<void>;
  saveModelWeights(model: Functional, path: string): Promise<void>;
  loadModelWeights(model: Functional, path: string): Promise<void>;
}

async function saving(): Promise<SavingModule> {
  // Imported on use: saving depends on the model classes, not the other way round.
  return (await import('../saving/index.js' as string)) as SavingModule;
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

const MODEL_OPTIONS = ['inputs', 'outputs', 'name', 'trainable'] as const;

/** Keras's two spellings of a functional model's arguments, checked, as one object. */
function modelArgs(
  first: ModelEnds | Partial<FunctionalArgs>,
  outputs: ModelEnds | undefined,
  rest: Pick<FunctionalArgs, 'name' | 'trainable'>,
): Partial<FunctionalArgs> {
  if (first instanceof KerasTensor || Array.isArray(first)) {
    if (outputs === undefined) throw new TypeError('Model(inputs, outputs): the outputs are missing; give both, as keras.Model(inputs, outputs)');
    checkOptionKeys('Model', rest, ['name', 'trainable']);
    return { ...rest, inputs: first, outputs };
  }
  if (first === null || typeof first !== 'object') {
    throw new TypeError(`Model: expected inputs and outputs (tensors from Input() and layer.apply), or { inputs, outputs }; got ${String(first)}`);
  }
  if (outputs !== undefined) throw new TypeError('Model: give the outputs either positionally, Model(inputs, outputs), or as { inputs, outputs }, not both');
  checkOptionKeys('Model', first, MODEL_OPTIONS);
  return first;
}

/** A functional model, as `keras.Model(inputs, outputs)`, with training. */
export class Model extends Functional {
  static override readonly className: string = 'Functional';
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** The `History` of the last `fit`. */
  history: History | null = null;
  private compiledOptimizer: Optimizer | null = null;
  private compileArgs: CompileArgs | null = null;
  private heads: CompiledHeads | null = null;

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
  constructor(args?: Partial<FunctionalArgs>);
  constructor(inputs: ModelEnds, outputs: ModelEnds, args?: Pick<FunctionalArgs, 'name' | 'trainable'>);
  constructor(first: ModelEnds | Partial<FunctionalArgs> = {}, outputs?: ModelEnds, args: Pick<FunctionalArgs, 'name' | 'trainable'> = {}) {
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
    if (this.compiledOptimizer === null) throw new Error(`Model "${this.name}" has no optimizer: call compile() first`);
    return this.compiledOptimizer;
  }

  /** The loss given to `compile` (null before). */
  get loss(): LossSpec | null {
    return this.compileArgs?.loss ?? null;
  }

  /** @internal Fails clearly when a training method is used before `compile`. */
  assertCompiled(method: string): void {
    if (this.compileArgs === null) throw new Error(`Model "${this.name}": call compile() before ${method}()`);
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

  /**
   * Trains the model (Keras `fit`); resolves to the `History`.
   *
   * @example
   * ```ts
   * const history = await model.fit(xTrain, yTrain, { batchSize: 32, epochs: 10, validationSplit: 0.1 });
   * console.log(history.history['val_loss']); // one value per epoch
   * ```
   */
  async fit(x: DataInput, y: DataInput, args: FitArgs = {}): Promise<History> {
    checkOptionKeys('fit', args, Object.keys(FIT_OPTIONS));
    return fitLoop(this, x, y, args);
  }

  /**
   * Loss and metrics on data (Keras `evaluate`): the loss alone when there are no metrics,
   * else `[loss, ...metrics]` in `metricsNames` order, or the logs with `returnDict`.
   *
   * @example
   * ```ts
   * const [loss, accuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
   * const logs = await model.evaluate(xTest, yTest, { returnDict: true }); // { loss, accuracy }
   * ```
   */
  async evaluate(x: DataInput, y: DataInput, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: DataInput, y: DataInput, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(x: DataInput, y: DataInput, args: EvaluateArgs = {}): Promise<number | number[] | Logs> {
    checkOptionKeys('evaluate', args, Object.keys(EVALUATE_OPTIONS));
    const logs = await evaluateLoop(this, x, y, args);
    return args.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /**
   * Outputs for inputs, computed in batches (one tensor, or a list for several outputs).
   *
   * @example
   * ```ts
   * const probabilities = model.predict(xTest, { batchSize: 64, verbose: 0 }) as tf.Tensor;
   * tf.argMax(probabilities, -1).print();
   * probabilities.dispose();
   * ```
   */
  predict(x: DataInput, args: PredictArgs = {}): tf.Tensor | tf.Tensor[] {
    checkOptionKeys('predict', args, Object.keys(PREDICT_OPTIONS));
    const outputs = predictLoop(this, x, args);
    return this.singleOutputResult(outputs);
  }

  /** Outputs for a single batch. */
  predictOnBatch(x: DataInput): tf.Tensor | tf.Tensor[] {
    return this.singleOutputResult(predictOnBatchLoop(this, x));
  }

  /** One gradient step on one batch; returns the loss (and metrics) of that batch. */
  trainOnBatch(
    x: DataInput,
    y: DataInput,
    args: { sampleWeight?: SampleWeightInput; classWeight?: Record<number, number>; returnDict?: boolean } = {},
  ): number | number[] | Logs {
    const logs = trainOnBatchLoop(this, x, y, args.sampleWeight, args.classWeight);
    return args.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /** Loss (and metrics) on one batch without training. */
  testOnBatch(x: DataInput, y: DataInput, args: { sampleWeight?: SampleWeightInput; returnDict?: boolean } = {}): number | number[] | Logs {
    const logs = testOnBatchLoop(this, x, y, args.sampleWeight);
    return args.returnDict === true ? logs : this.flattenLogs(logs);
  }

  /** Saves the model as a `.keras` file. */
  async save(path: string): Promise<void> {
    await (await saving()).saveModel(this, path);
  }

  /** Saves the weights as a `.weights.h5` file. */
  async saveWeights(path: string): Promise<void> {
    await (await saving()).saveModelWeights(this, path);
  }

  /** Loads weights from a `.weights.h5` (or `.keras`) file. */
  async loadWeights(path: string): Promise<void> {
    await (await saving()).loadModelWeights(this, path);
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

  private singleOutputResult(outputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return this.singleOutput ? outputs[0]! : outputs;
  }

  /** Logs as Keras's `evaluate` returns them: metric order first, other keys sorted; one value unwrapped. */
  private flattenLogs(logs: Logs): number | number[] {
    const names = this.metricsNames;
    const values = names.filter((n) => Object.hasOwn(logs, n)).map((n) => logs[n]!);
    for (const key of Object.keys(logs).sort()) if (!names.includes(key)) values.push(logs[key]!);
    return values.length === 1 ? values[0]! : values;
  }
}
