/**
 * The `fit`, `evaluate` and `predict` loops of Keras 3 over in-memory arrays: data converted
 * once, the validation split taken from the end, one gather per array and epoch when shuffling,
 * batches by slicing, callbacks called with Keras's logs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownValue } from '@strata/graph';
import type { Model } from '../engine/model.js';
import { CallbackList, type Callback, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { ProgressOutput } from '../callbacks/progbar.js';
import {
  checkSampleCounts,
  convertData,
  disposeCreated,
  isShapedArray,
  toTensor,
  withNaNWarningsOnce,
  type ArrayLikeData,
  type ConvertedData,
  type DataInput,
} from '../data/convert.js';
import { EpochData, classWeightsToSampleWeights, splitLast } from '../data/batching.js';
import { positiveInt, verbosity, type EvaluateArgs, type FitArgs, type PredictArgs, type SampleWeightInput } from './args.js';
import { predictStep, testStep, trainStep, type Batch, type OutputSampleWeights } from './step.js';
import { assertFiniteBatch } from './finite-check.js';

/** Names of the model's inputs (`input` for a Sequential model not built yet). */
export function inputNames(model: Model): string[] {
  return model.inputs.length === 0 ? ['input'] : model.inputs.map((t) => t.sourceLayer.name);
}

/** Names of the model's outputs (the output layers' names, as Keras). */
export function outputNames(model: Model): string[] {
  return model.outputs.length === 0 ? ['output'] : model.outputs.map((t) => t.sourceLayer.name);
}

/** Tensors the loop created and must free. */
class Owned {
  private readonly tensors: tf.Tensor[] = [];
  add<T extends tf.Tensor>(t: T): T {
    this.tensors.push(t);
    return t;
  }
  addConverted(c: ConvertedData): tf.Tensor[] {
    c.tensors.forEach((t, i) => {
      if (c.created[i] === true) this.tensors.push(t);
    });
    return c.tensors;
  }
  dispose(): void {
    tf.dispose(this.tensors);
    this.tensors.length = 0;
  }
}

/** Converts `x`; builds a Sequential model that has no input shape yet from the data. */
function prepareX(model: Model, x: DataInput, owned: Owned, role = 'x'): tf.Tensor[] {
  const stringInputs = model.inputs.map((t) => t.dtype === 'string');
  const xs = owned.addConverted(convertData(x, inputNames(model), role, stringInputs));
  if (model.inputs.length === 0) model.build([null, ...xs[0]!.shape.slice(1)]);
  return xs;
}

interface Arrays {
  x: tf.Tensor[];
  y: tf.Tensor[];
  /** Per-output sample weights (the same tensor for every output when one array was given). */
  sampleWeight: OutputSampleWeights;
}

function isSingleWeightArray(value: unknown, outputs: number): boolean {
  if (!Array.isArray(value)) return value instanceof tf.Tensor || ArrayBuffer.isView(value) || isShapedArray(value);
  return outputs === 1 || value.every((v) => typeof v === 'number');
}

function convertSampleWeights(value: SampleWeightInput, names: string[], role: string, owned: Owned): OutputSampleWeights {
  const one = (v: unknown, where: string): tf.Tensor => {
    const converted = toTensor(v, where);
    const t = converted.created ? owned.add(converted.tensor) : converted.tensor;
    if (t.rank !== 1 && !(t.rank === 2 && t.shape[1] === 1)) {
      throw new Error(`${where} must have shape [n] (one weight per sample), got [${t.shape.join(', ')}]`);
    }
    return t;
  };
  const where = `${role === 'x' ? '' : `${role} `}sampleWeight`;
  if (isSingleWeightArray(value, names.length)) {
    const t = one(value, where);
    return names.map(() => t);
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(`${where}: expected one array per output (${names.join(', ')}) or a single array, got a list of ${value.length}`);
    }
    return value.map((v, i) => (v === null || v === undefined ? null : one(v, `${where}["${names[i]}"]`)));
  }
  const dict = value as Record<string, ArrayLikeData | null>;
  const unknown = Object.keys(dict).filter((k) => !names.includes(k));
  if (unknown.length > 0) throw new Error(`${where}: unknown output name(s) ${unknown.join(', ')}; outputs: ${names.join(', ')}`);
  return names.map((n) => {
    const entry = ownValue(dict, n);
    return entry === undefined || entry === null ? null : one(entry, `${where}["${n}"]`);
  });
}

function prepareArrays(model: Model, x: DataInput, y: DataInput, sampleWeight: SampleWeightInput | undefined, classWeight: Record<number, number> | undefined, owned: Owned, role: string): Arrays {
  const xs = prepareX(model, x, owned, role === 'x' ? 'x' : `${role} x`);
  const names = outputNames(model);
  const ys = owned.addConverted(convertData(y, names, role === 'x' ? 'y' : `${role} y`));
  let sw: OutputSampleWeights = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    if (classWeight !== undefined) throw new Error('fit: give either classWeight or sampleWeight, not both (as Keras)');
    sw = convertSampleWeights(sampleWeight, names, role, owned);
  } else if (classWeight !== undefined) {
    if (ys.length !== 1) throw new Error(`classWeight is only supported for models with one output; this model has ${ys.length}: ${names.join(', ')}`);
    sw = [owned.add(classWeightsToSampleWeights(ys[0]!, classWeight))];
  }
  const weightTensors = uniqueWeights(sw);
  checkSampleCounts([
    { role: role === 'x' ? 'x' : `${role} x`, names: inputNames(model), tensors: xs },
    { role: role === 'x' ? 'y' : `${role} y`, names, tensors: ys },
    ...(weightTensors.length === 0 ? [] : [{ role: 'sampleWeight', names: weightTensors.map((_, i) => String(i)), tensors: weightTensors }]),
  ]);
  return { x: xs, y: ys, sampleWeight: sw };
}

function uniqueWeights(sw: OutputSampleWeights): tf.Tensor[] {
  return sw === null ? [] : [...new Set(sw.filter((t): t is tf.Tensor => t !== null))];
}

/** How a flat list of arrays maps back to inputs, targets and per-output weights. */
interface Layout {
  nx: number;
  ny: number;
  /** For each output, the index of its weight among the unique weight arrays, or -1. */
  weights: number[] | null;
}

function flatten(a: Arrays): { list: tf.Tensor[]; layout: Layout } {
  const unique = uniqueWeights(a.sampleWeight);
  const weights = a.sampleWeight === null ? null : a.sampleWeight.map((t) => (t === null ? -1 : unique.indexOf(t)));
  return { list: [...a.x, ...a.y, ...unique], layout: { nx: a.x.length, ny: a.y.length, weights } };
}

/** How errors name each array of a flattened batch, in Keras terms. */
function arrayLabels(model: Model, layout: Layout): string[] {
  const outputs = outputNames(model);
  const weightCount = layout.weights === null ? 0 : Math.max(-1, ...layout.weights) + 1;
  const weightOwners = (k: number): string[] => outputs.filter((_, i) => layout.weights?.[i] === k);
  return [
    ...inputNames(model).slice(0, layout.nx).map((name) => `input "${name}"`),
    ...outputs.slice(0, layout.ny).map((name) => `target for output "${name}"`),
    ...Array.from({ length: weightCount }, (_, k) => (outputs.length === 1 ? 'sample weight' : `sample weight for output(s) ${weightOwners(k).map((n) => `"${n}"`).join(', ')}`)),
  ];
}

function unflatten(list: tf.Tensor[], layout: Layout): Batch {
  const { nx, ny, weights } = layout;
  return {
    x: list.slice(0, nx),
    y: list.slice(nx, nx + ny),
    sampleWeight: weights === null ? null : weights.map((k) => (k < 0 ? null : list[nx + ny + k]!)),
  };
}

function makeCallbacks(user: Callback[] | undefined, verbose: 0 | 1 | 2, output: ProgressOutput | undefined, history: History | null): CallbackList {
  const list: Callback[] = [];
  if (verbose !== 0) list.push(new ProgbarLogger({ output }));
  list.push(...(user ?? []));
  if (history !== null) list.push(history);
  return new CallbackList(list);
}

/** Evaluates on arrays; shared by `evaluate` and the validation of `fit`. */
async function runEvaluation(model: Model, arrays: Arrays, batchSize: number, steps: number | undefined, callbacks: CallbackList): Promise<Logs> {
  const heads = model.compiledHeads(outputNames(model));
  heads.resetState();
  const n = arrays.x[0]!.shape[0]!;
  const total = Math.min(steps ?? Infinity, Math.ceil(n / batchSize));
  const { list, layout } = flatten(arrays);
  const data = new EpochData(list, false);
  await callbacks.call('onTestBegin', {});
  let logs: Logs = {};
  for (let step = 0; step < total; step++) {
    await callbacks.call('onTestBatchBegin', step, {});
    const parts = data.batch(step, batchSize);
    try {
      testStep(model, heads, unflatten(parts, layout));
    } finally {
      tf.dispose(parts);
    }
    logs = heads.results();
    await callbacks.call('onTestBatchEnd', step, logs);
  }
  await callbacks.call('onTestEnd', logs);
  return logs;
}

/** Keras's `fit` over arrays. */
export async function fitLoop(model: Model, x: DataInput, y: DataInput, args: FitArgs = {}): Promise<History> {
  model.assertCompiled('fit');
  const batchSize = positiveInt(args.batchSize, 32, 'batchSize');
  const epochs = positiveInt(args.epochs, 1, 'epochs');
  const initialEpoch = args.initialEpoch ?? 0;
  const verbose = verbosity(args.verbose);
  const owned = new Owned();
  try {
    let train: Arrays;
    let validation: Arrays | null = null;
    // NaN in training data is refused batch by batch (assertFiniteBatch), so no warning for it here.
    withNaNWarningsOnce(() => {
      train = prepareArrays(model, x, y, args.sampleWeight, args.classWeight, owned, 'x');
    }, { silent: true });
    withNaNWarningsOnce(() => {
      if (args.validationData !== undefined) {
        const [vx, vy, vsw] = args.validationData;
        validation = prepareArrays(model, vx, vy, vsw, undefined, owned, 'validationData');
      } else if (args.validationSplit !== undefined && args.validationSplit > 0) {
        const { list, layout } = flatten(train);
        const { train: t, validation: v } = splitLast(list, args.validationSplit);
        [...t, ...v].forEach((tensor) => owned.add(tensor));
        train = unflatten(t, layout);
        validation = unflatten(v, layout);
      }
    });
    const trainArrays = train!;
    const valArrays = validation as Arrays | null;
    const n = trainArrays.x[0]!.shape[0]!;
    const batchesInData = Math.ceil(n / batchSize);
    const steps = args.stepsPerEpoch !== undefined ? positiveInt(args.stepsPerEpoch, 1, 'stepsPerEpoch') : batchesInData;
    const history = new History();
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, history);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs, steps });
    model.history = history;
    model.stopTraining = false;
    const heads = model.compiledHeads(outputNames(model));
    const outputShapes = model.outputs.map((t) => t.shape);
    heads.checkSparseLabels(trainArrays.y, outputShapes);
    if (valArrays !== null) heads.checkSparseLabels(valArrays.y, outputShapes);
    heads.checked = false;
    const optimizer = model.optimizer;
    const { list: flat, layout } = flatten(trainArrays);
    const labels = arrayLabels(model, layout);
    await callbacks.call('onTrainBegin', {});
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      heads.resetState();
      await callbacks.call('onEpochBegin', epoch, {});
      let data = new EpochData(flat, args.shuffle ?? true);
      let logs: Logs = {};
      try {
        for (let step = 0; step < steps; step++) {
          const index = step % batchesInData;
          if (step > 0 && index === 0) {
            // stepsPerEpoch beyond the data: start another pass over it.
            data.dispose();
            data = new EpochData(flat, args.shuffle ?? true);
          }
          await callbacks.call('onTrainBatchBegin', step, {});
          const parts = data.batch(index, batchSize);
          let result;
          try {
            assertFiniteBatch(parts, labels, `fit: batch ${step} of epoch ${epoch + 1}`);
            result = trainStep(model, heads, optimizer, unflatten(parts, layout), callbacks.wantsGradients);
          } finally {
            tf.dispose(parts);
          }
          if (result.gradientNorms !== null) await callbacks.call('onTrainBatchGradients', step, result.gradientNorms);
          logs = heads.results();
          await callbacks.call('onTrainBatchEnd', step, logs);
          if (model.stopTraining) break;
        }
      } finally {
        data.dispose();
      }
      epochLogs = { ...logs };
      if (valArrays !== null) {
        const valLogs = await runEvaluation(model, valArrays, args.validationBatchSize ?? batchSize, undefined, callbacks);
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      await callbacks.call('onEpochEnd', epoch, epochLogs);
      if (model.stopTraining) break;
    }
    await callbacks.call('onTrainEnd', epochLogs);
    return history;
  } finally {
    owned.dispose();
  }
}

/** Keras's `evaluate` over arrays; returns the logs (the model formats them). */
export async function evaluateLoop(model: Model, x: DataInput, y: DataInput, args: EvaluateArgs = {}): Promise<Logs> {
  model.assertCompiled('evaluate');
  const batchSize = positiveInt(args.batchSize, 32, 'batchSize');
  const verbose = verbosity(args.verbose);
  const owned = new Owned();
  try {
    const arrays = withNaNWarningsOnce(() => prepareArrays(model, x, y, args.sampleWeight, undefined, owned, 'x'));
    model.compiledHeads(outputNames(model)).checkSparseLabels(arrays.y, model.outputs.map((t) => t.shape));
    const n = arrays.x[0]!.shape[0]!;
    const steps = Math.min(args.steps ?? Infinity, Math.ceil(n / batchSize));
    const callbacks = makeCallbacks(args.callbacks, verbose, args.progressOutput, null);
    callbacks.setModel(model);
    callbacks.setParams({ verbose, epochs: 1, steps });
    return await runEvaluation(model, arrays, batchSize, steps, callbacks);
  } finally {
    owned.dispose();
  }
}

/** Keras's `predict`: batched inference, outputs concatenated (one tensor per output). */
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
      const outputs = chunks[0]!.map((_, i) => (chunks.length === 1 ? chunks[0]![i]!.clone() : tf.concat(chunks.map((c) => c[i]!), 0)));
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
export function trainOnBatchLoop(model: Model, x: DataInput, y: DataInput, sampleWeight: SampleWeightInput | undefined, classWeight: Record<number, number> | undefined): Logs {
  model.assertCompiled('trainOnBatch');
  const owned = new Owned();
  try {
    const arrays = withNaNWarningsOnce(() => prepareArrays(model, x, y, sampleWeight, classWeight, owned, 'x'), { silent: true });
    const { list, layout } = flatten(arrays);
    assertFiniteBatch(list, arrayLabels(model, layout), 'trainOnBatch');
    const heads = model.compiledHeads(outputNames(model));
    heads.resetState();
    trainStep(model, heads, model.optimizer, arrays, false);
    return heads.results();
  } finally {
    owned.dispose();
  }
}

/** One evaluation step on one batch (`testOnBatch`). */
export function testOnBatchLoop(model: Model, x: DataInput, y: DataInput, sampleWeight: SampleWeightInput | undefined): Logs {
  model.assertCompiled('testOnBatch');
  const owned = new Owned();
  try {
    const arrays = prepareArrays(model, x, y, sampleWeight, undefined, owned, 'x');
    const heads = model.compiledHeads(outputNames(model));
    heads.resetState();
    testStep(model, heads, arrays);
    return heads.results();
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
