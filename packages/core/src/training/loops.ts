/**
 * The `fit`, `evaluate` and `predict` loops of Keras 3, over in-memory arrays (converted once,
 * the validation split taken from the end, one gather per array and epoch when shuffling, batches
 * by slicing) or over generators and iterables of batches (see `data/batch-stream.ts`); each
 * batch goes through the model's `trainStep`/`testStep`, callbacks get Keras's logs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../engine/model.js';
import { CallbackList, type Callback, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { ProgressOutput } from '../callbacks/progbar.js';
import { checkSampleCounts, disposeCreated, withNaNWarningsOnce, type DataInput } from '../data/convert.js';
import { EpochData, splitLast } from '../data/batching.js';
import {
  Owned,
  arrayLabels,
  flatten,
  inputNames,
  outputNames,
  prepareArrays,
  prepareX,
  unflatten,
  type Arrays,
  type SampleWeightInput,
} from '../data/arrays.js';
import { RAN_OUT_WARNING, isBatchStream, type BatchStream } from '../data/batch-stream.js';
import { positiveInt, verbosity, type EvaluateArgs, type FitArgs, type PredictArgs } from './args.js';
import { predictStep } from './step.js';
import { assertFiniteBatch } from './finite-check.js';
import { ArraySource, StreamSource, type BatchSource } from './sources.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

export { inputNames, outputNames };

function makeCallbacks(
  user: Callback[] | undefined,
  verbose: 0 | 1 | 2,
  output: ProgressOutput | undefined,
  history: History | null,
): CallbackList {
  const list: Callback[] = [];
  if (verbose !== 0) list.push(new ProgbarLogger({ output }));
  list.push(...(user ?? []));
  if (history !== null) list.push(history);
  return new CallbackList(list);
}

/** Keras's "ran out of data" warning, at most once per call. */
function ranOutWarner(): () => void {
  let warned = false;
  return () => {
    if (warned) return;
    warned = true;
    console.warn(RAN_OUT_WARNING);
  };
}

/** Checks sparse targets against the output size when the model has a compiled loss (a custom `trainStep` may have none). */
function targetChecker(model: Model): ((y: tf.Tensor[]) => void) | undefined {
  if (model.loss === null) return undefined;
  return (y) => {
    if (y.length > 0)
      model.compiledHeads(outputNames(model)).checkSparseLabels(
        y,
        model.outputs.map((t) => t.shape),
      );
  };
}

/** Keras refuses these arguments with a generator: the generator yields them itself. */
function rejectWithStream(method: string, given: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && value !== null) {
      throw new ConfigurationError(
        `${method}: \`${name}\` is not supported when x is a generator or iterable; yield it with each batch ([x, y, sampleWeight]) instead`,
      );
    }
  }
}

/** Evaluates batches from `source`; shared by `evaluate` and the validation of `fit`. Null when no batch ran. */
async function runEvaluation(
  model: Model,
  source: BatchSource,
  callbacks: CallbackList,
  warn: () => void,
): Promise<Logs | null> {
  model.resetMetrics();
  await callbacks.call('onTestBegin', {});
  let logs: Logs = {};
  let count = 0;
  let ranOut = false;
  try {
    if (await source.beginEpoch()) {
      while (source.limit === null || count < source.limit) {
        const b = await source.next();
        if (b === null) {
          ranOut = true;
          break;
        }
        await callbacks.call('onTestBatchBegin', count, {});
        try {
          logs = model.testStep(b.batch);
        } finally {
          b.release();
        }
        await callbacks.call('onTestBatchEnd', count, logs);
        count++;
      }
    } else {
      ranOut = true;
    }
  } finally {
    source.endEpoch(count, ranOut);
  }
  if (ranOut && (source.warnWhenShort || count === 0)) warn();
  await callbacks.call('onTestEnd', logs);
  return count === 0 ? null : logs;
}

/** The training and validation batches of a `fit` call. */
function fitSources(
  model: Model,
  x: DataInput | BatchStream<unknown>,
  y: DataInput | null | undefined,
  args: FitArgs,
  owned: Owned,
  sources: BatchSource[],
): { train: BatchSource; validation: BatchSource | null } {
  const batchSize = positiveInt(args.batchSize, 32, 'batchSize');
  const stepsPerEpoch =
    args.stepsPerEpoch === undefined ? undefined : positiveInt(args.stepsPerEpoch, 1, 'stepsPerEpoch');
  const validationSteps =
    args.validationSteps === undefined ? undefined : positiveInt(args.validationSteps, 1, 'validationSteps');
  const validationBatchSize = args.validationBatchSize ?? batchSize;
  const check = targetChecker(model);
  const add = <S extends BatchSource>(s: S): S => {
    sources.push(s);
    return s;
  };
  let train: BatchSource;
  let validation: BatchSource | null = null;
  let splitArrays: Arrays | null = null;
  if (isBatchStream(x)) {
    rejectWithStream('fit', {
      y,
      sampleWeight: args.sampleWeight,
      classWeight: args.classWeight,
      validationSplit: args.validationSplit,
    });
    if (args.shuffle === true)
      console.warn(
        'fit: `shuffle: true` is ignored with a generator; it is expected to yield already-shuffled data (as Keras)',
      );
    train = add(
      new StreamSource(model, x, {
        steps: stepsPerEpoch,
        role: 'fit',
        inputsOnly: false,
        training: true,
        checkTargets: check,
      }),
    );
  } else {
    // NaN in training data is refused batch by batch (assertFiniteBatch), so no warning for it here.
    let arrays = withNaNWarningsOnce(
      () => prepareArrays(model, x, y, args.sampleWeight, args.classWeight, owned, 'x'),
      { silent: true },
    );
    if (args.validationData === undefined && args.validationSplit !== undefined && args.validationSplit > 0) {
      const { list, layout } = flatten(arrays);
      const { train: t, validation: v } = splitLast(list, args.validationSplit);
      [...t, ...v].forEach((tensor) => owned.add(tensor));
      arrays = unflatten(t, layout);
      splitArrays = unflatten(v, layout);
    }
    check?.(arrays.y);
    train = add(new ArraySource(model, arrays, batchSize, args.shuffle ?? true, stepsPerEpoch, true));
  }
  const vd = args.validationData;
  if (vd !== undefined && isBatchStream(vd)) {
    validation = add(
      new StreamSource(model, vd, {
        steps: validationSteps,
        role: 'validationData',
        inputsOnly: false,
        training: false,
        checkTargets: check,
      }),
    );
  } else if (vd !== undefined || splitArrays !== null) {
    const arrays =
      splitArrays ??
      withNaNWarningsOnce(() => {
        const [vx, vy, vsw] = vd as unknown as [DataInput, DataInput, SampleWeightInput?];
        return prepareArrays(model, vx, vy, vsw, undefined, owned, 'validationData');
      });
    check?.(arrays.y);
    validation = add(new ArraySource(model, arrays, validationBatchSize, false, validationSteps, false));
  }
  return { train, validation };
}

/** Keras's `fit` over arrays or a generator / iterable of batches. */
export async function fitLoop(
  model: Model,
  x: DataInput | BatchStream<unknown>,
  y: DataInput | null | undefined,
  args: FitArgs = {},
): Promise<History> {
  model.assertCompiled('fit');
  const epochs = positiveInt(args.epochs, 1, 'epochs');
  const initialEpoch = args.initialEpoch ?? 0;
  const verbose = verbosity(args.verbose);
  const owned = new Owned();
  const sources: BatchSource[] = [];
  const warn = ranOutWarner();
  try {
    const { train, validation } = fitSources(model, x, y, args, owned, sources);
    const history = new History();
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, history);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs, steps: train.steps });
    model.history = history;
    model.stopTraining = false;
    // A model built from its first generator batch gets new heads then, which check anyway.
    if (model.loss !== null && model.outputs.length > 0) model.compiledHeads(outputNames(model)).recheck();
    const gradients = model.stepGradients;
    gradients.wanted = callbacks.wantsGradients;
    await callbacks.call('onTrainBegin', {});
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      if (!(await train.beginEpoch())) {
        if (epoch === initialEpoch) {
          throw new DataError('fit: the generator must yield at least one batch; it yielded none (as Keras)');
        }
        warn();
        break;
      }
      model.resetMetrics();
      await callbacks.call('onEpochBegin', epoch, {});
      let logs: Logs = {};
      let step = 0;
      let ranOut = false;
      try {
        while (train.limit === null || step < train.limit) {
          const b = await train.next();
          if (b === null) {
            ranOut = true;
            break;
          }
          await callbacks.call('onTrainBatchBegin', step, {});
          try {
            assertFiniteBatch(b.flat, b.labels(), `fit: batch ${step} of epoch ${epoch + 1}`);
            logs = model.trainStep(b.batch);
          } finally {
            b.release();
          }
          const norms = gradients.norms;
          gradients.norms = null;
          if (norms !== null) await callbacks.call('onTrainBatchGradients', step, norms);
          await callbacks.call('onTrainBatchEnd', step, logs);
          step++;
          if (model.stopTraining) break;
        }
      } finally {
        train.endEpoch(step, ranOut);
      }
      if (ranOut && train.warnWhenShort) warn();
      epochLogs = { ...logs };
      if (validation !== null) {
        const valLogs = await runEvaluation(model, validation, callbacks, warn);
        for (const [k, v] of Object.entries(valLogs ?? {})) epochLogs[`val_${k}`] = v;
      }
      await callbacks.call('onEpochEnd', epoch, epochLogs);
      if (model.stopTraining) break;
    }
    await callbacks.call('onTrainEnd', epochLogs);
    return history;
  } finally {
    model.stepGradients.wanted = false;
    sources.forEach((s) => s.dispose());
    owned.dispose();
  }
}

/** Keras's `evaluate` over arrays or a generator / iterable; returns the logs (the model formats them). */
export async function evaluateLoop(
  model: Model,
  x: DataInput | BatchStream<unknown>,
  y: DataInput | null | undefined,
  args: EvaluateArgs = {},
): Promise<Logs> {
  model.assertCompiled('evaluate');
  const verbose = verbosity(args.verbose);
  const owned = new Owned();
  let source: BatchSource | null = null;
  try {
    if (isBatchStream(x)) {
      rejectWithStream('evaluate', { y, sampleWeight: args.sampleWeight });
      const steps = args.steps === undefined ? undefined : positiveInt(args.steps, 1, 'steps');
      source = new StreamSource(model, x, {
        steps,
        role: 'evaluate',
        inputsOnly: false,
        training: false,
        checkTargets: targetChecker(model),
      });
    } else {
      const batchSize = positiveInt(args.batchSize, 32, 'batchSize');
      const arrays = withNaNWarningsOnce(() => prepareArrays(model, x, y, args.sampleWeight, undefined, owned, 'x'));
      targetChecker(model)?.(arrays.y);
      source = new ArraySource(model, arrays, batchSize, false, args.steps, false);
    }
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, null);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs: 1, steps: source.steps });
    const logs = await runEvaluation(model, source, callbacks, ranOutWarner());
    if (logs === null)
      throw new DataError('evaluate: the generator must yield at least one batch; it yielded none (as Keras)');
    return logs;
  } finally {
    source?.dispose();
    owned.dispose();
  }
}

/** Keras's `predict` over a generator / iterable of input batches; outputs concatenated (one tensor per output). */
export async function predictStreamLoop(
  model: Model,
  x: BatchStream<unknown>,
  args: PredictArgs = {},
): Promise<tf.Tensor[]> {
  const verbose = verbosity(args.verbose);
  const steps = args.steps === undefined ? undefined : positiveInt(args.steps, 1, 'steps');
  const source = new StreamSource(model, x, { steps, role: 'predict', inputsOnly: true, training: false });
  const chunks: tf.Tensor[][] = [];
  try {
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, null);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs: 1, steps: source.steps });
    await callbacks.call('onPredictBegin', {});
    if (!(await source.beginEpoch()))
      throw new DataError('predict: the generator must yield at least one batch; it yielded none (as Keras)');
    let step = 0;
    let ranOut = false;
    while (source.limit === null || step < source.limit) {
      const b = await source.next();
      if (b === null) {
        ranOut = true;
        break;
      }
      await callbacks.call('onPredictBatchBegin', step, {});
      try {
        chunks.push(predictStep(model, b.batch.x));
      } finally {
        b.release();
      }
      await callbacks.call('onPredictBatchEnd', step, {});
      step++;
    }
    source.endEpoch(step, ranOut);
    if (ranOut && source.warnWhenShort) ranOutWarner()();
    const outputs = chunks[0]!.map((_, i) =>
      chunks.length === 1
        ? chunks[0]![i]!.clone()
        : tf.concat(
            chunks.map((c) => c[i]!),
            0,
          ),
    );
    await callbacks.call('onPredictEnd', {});
    return outputs;
  } finally {
    chunks.forEach((c) => tf.dispose(c));
    source.dispose();
  }
}

/** Keras's `predict` over arrays: batched inference, outputs concatenated (one tensor per output). */
export function predictLoop(model: Model, x: DataInput, args: PredictArgs = {}): tf.Tensor[] {
  const batchSize = positiveInt(args.batchSize, 32, 'batchSize');
  const verbose = verbosity(args.verbose);
  const owned = new Owned();
  try {
    const xs = withNaNWarningsOnce(() => prepareX(model, x, owned));
    const n = checkSampleCounts([{ role: 'x', names: inputNames(model), tensors: xs }]);
    const steps = Math.min(args.steps ?? Infinity, Math.ceil(n / batchSize));
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, null);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs: 1, steps });
    callbacks.callSync('onPredictBegin', {});
    const data = new EpochData(xs, false);
    const chunks: tf.Tensor[][] = [];
    try {
      for (let step = 0; step < steps; step++) {
        callbacks.callSync('onPredictBatchBegin', step, {});
        const parts = data.batch(step, batchSize);
        try {
          chunks.push(predictStep(model, parts));
        } finally {
          tf.dispose(parts);
        }
        callbacks.callSync('onPredictBatchEnd', step, {});
      }
      const outputs = chunks[0]!.map((_, i) =>
        chunks.length === 1
          ? chunks[0]![i]!.clone()
          : tf.concat(
              chunks.map((c) => c[i]!),
              0,
            ),
      );
      callbacks.callSync('onPredictEnd', {});
      return outputs;
    } finally {
      chunks.forEach((c) => tf.dispose(c));
    }
  } finally {
    owned.dispose();
  }
}

/** One training step on one batch (`trainOnBatch`); metrics reflect this batch only. */
export function trainOnBatchLoop(
  model: Model,
  x: DataInput,
  y: DataInput | null | undefined,
  sampleWeight: SampleWeightInput | undefined,
  classWeight: Record<number, number> | undefined,
): Logs {
  model.assertCompiled('trainOnBatch');
  const owned = new Owned();
  try {
    const arrays = withNaNWarningsOnce(() => prepareArrays(model, x, y, sampleWeight, classWeight, owned, 'x'), {
      silent: true,
    });
    const { list, layout } = flatten(arrays);
    assertFiniteBatch(list, arrayLabels(model, layout), 'trainOnBatch');
    model.resetMetrics();
    return model.trainStep(arrays);
  } finally {
    owned.dispose();
  }
}

/** One evaluation step on one batch (`testOnBatch`). */
export function testOnBatchLoop(
  model: Model,
  x: DataInput,
  y: DataInput | null | undefined,
  sampleWeight: SampleWeightInput | undefined,
): Logs {
  model.assertCompiled('testOnBatch');
  const owned = new Owned();
  try {
    const arrays = prepareArrays(model, x, y, sampleWeight, undefined, owned, 'x');
    model.resetMetrics();
    return model.testStep(arrays);
  } finally {
    owned.dispose();
  }
}

/** Inference on one batch (`predictOnBatch`). */
export function predictOnBatchLoop(model: Model, x: DataInput): tf.Tensor[] {
  const owned = new Owned();
  try {
    return predictStep(model, prepareX(model, x, owned));
  } finally {
    owned.dispose();
  }
}

export { disposeCreated };
