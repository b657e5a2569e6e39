/**
 * In-memory arrays of a `fit`/`evaluate`/`predict` call made ready for batching (Keras's
 * `trainers/data_adapters/array_data_adapter`): inputs, targets and sample weights converted to
 * tensors (class weights turned into sample weights), sample counts checked, and the whole set
 * flattened to one list of tensors so a single shuffle and slice serves all of them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownValue } from '@strata/graph';
import type { Model } from '../engine/model.js';
import {
  checkSampleCounts,
  convertData,
  isShapedArray,
  toTensor,
  type ArrayLikeData,
  type ConvertedData,
  type DataInput,
} from './convert.js';
import { classWeightsToSampleWeights } from './batching.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** Sample weights: one array of shape `[n]` for all outputs, or one per output (list, or dict by output name). */
export type SampleWeightInput = ArrayLikeData | (ArrayLikeData | null)[] | Record<string, ArrayLikeData | null>;

/** Per-sample weights of each output (`null` entries: unweighted), or null when there are none. */
export type OutputSampleWeights = (tf.Tensor | null)[] | null;

/** One batch as `trainStep`/`testStep` receive it (Keras's `data` tuple, as lists in model order). */
export interface Batch {
  /** Inputs, in the model's input order (`x[0]` for a one-input model). */
  x: tf.Tensor[];
  /** Targets, one per output; empty when none were given (`fit(x, args)`). */
  y: tf.Tensor[];
  /** Per-sample weights of each output, or null when there are none. */
  sampleWeight: OutputSampleWeights;
}

/** Names of the model's inputs (`input` for a Sequential model not built yet). */
export function inputNames(model: Model): string[] {
  return model.inputs.length === 0 ? ['input'] : model.inputs.map((t) => t.sourceLayer.name);
}

/** Names of the model's outputs (the output layers' names, as Keras). */
export function outputNames(model: Model): string[] {
  return model.outputs.length === 0 ? ['output'] : model.outputs.map((t) => t.sourceLayer.name);
}

/** Tensors the loop created and must free. */
export class Owned {
  private readonly tensors: tf.Tensor[] = [];
  /** Takes ownership of `t` and returns it. */
  add<T extends tf.Tensor>(t: T): T {
    this.tensors.push(t);
    return t;
  }
  /** Takes ownership of the tensors `convertData` created (not the caller's own) and returns all of them. */
  addConverted(c: ConvertedData): tf.Tensor[] {
    c.tensors.forEach((t, i) => {
      if (c.created[i] === true) this.tensors.push(t);
    });
    return c.tensors;
  }
  /** Frees every owned tensor. */
  dispose(): void {
    tf.dispose(this.tensors);
    this.tensors.length = 0;
  }
}

/** Converts `x`; builds a Sequential model that has no input shape yet from the data. */
export function prepareX(model: Model, x: DataInput, owned: Owned, role = 'x'): tf.Tensor[] {
  // String tensors pass only for string inputs (StringLookup / TextVectorization models).
  const stringInputs = model.inputs.map((t) => t.dtype === 'string');
  const xs = owned.addConverted(convertData(x, inputNames(model), role, stringInputs));
  if (model.inputs.length === 0 && !model.built) model.build([null, ...xs[0]!.shape.slice(1)]);
  return xs;
}

/** Converted arrays of a call: inputs, targets and per-output sample weights (a `Batch` of all samples). */
export interface Arrays {
  x: tf.Tensor[];
  y: tf.Tensor[];
  /** Per-output sample weights (the same tensor for every output when one array was given). */
  sampleWeight: OutputSampleWeights;
}

function isSingleWeightArray(value: unknown, outputs: number): boolean {
  if (!Array.isArray(value)) return value instanceof tf.Tensor || ArrayBuffer.isView(value) || isShapedArray(value);
  return outputs === 1 || value.every((v) => typeof v === 'number');
}

function convertSampleWeights(
  value: SampleWeightInput,
  names: string[],
  role: string,
  owned: Owned,
): OutputSampleWeights {
  const one = (v: unknown, where: string): tf.Tensor => {
    const converted = toTensor(v, where);
    const t = converted.created ? owned.add(converted.tensor) : converted.tensor;
    if (t.rank !== 1 && !(t.rank === 2 && t.shape[1] === 1)) {
      throw new DataError(`${where} must have shape [n] (one weight per sample), got [${t.shape.join(', ')}]`);
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
      throw new DataError(
        `${where}: expected one array per output (${names.join(', ')}) or a single array, got a list of ${value.length}`,
      );
    }
    return value.map((v, i) => (v === null || v === undefined ? null : one(v, `${where}["${names[i]}"]`)));
  }
  const dict = value as Record<string, ArrayLikeData | null>;
  const unknown = Object.keys(dict).filter((k) => !names.includes(k));
  if (unknown.length > 0)
    throw new DataError(`${where}: unknown output name(s) ${unknown.join(', ')}; outputs: ${names.join(', ')}`);
  return names.map((n) => {
    const entry = ownValue(dict, n);
    return entry === undefined || entry === null ? null : one(entry, `${where}["${n}"]`);
  });
}

/**
 * Converts `x`, `y` (absent: no targets, for a custom `trainStep`) and sample or class weights,
 * checking that they all hold the same number of samples.
 */
export function prepareArrays(
  model: Model,
  x: DataInput,
  y: DataInput | null | undefined,
  sampleWeight: SampleWeightInput | undefined,
  classWeight: Record<number, number> | undefined,
  owned: Owned,
  role: string,
): Arrays {
  const xs = prepareX(model, x, owned, role === 'x' ? 'x' : `${role} x`);
  const names = outputNames(model);
  const ys =
    y === undefined || y === null ? [] : owned.addConverted(convertData(y, names, role === 'x' ? 'y' : `${role} y`));
  let sw: OutputSampleWeights = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    if (classWeight !== undefined)
      throw new ConfigurationError('fit: give either classWeight or sampleWeight, not both (as Keras)');
    sw = convertSampleWeights(sampleWeight, names, role, owned);
  } else if (classWeight !== undefined) {
    if (ys.length === 0) throw new ConfigurationError('classWeight needs targets y');
    if (ys.length !== 1)
      throw new ConfigurationError(
        `classWeight is only supported for models with one output; this model has ${ys.length}: ${names.join(', ')}`,
      );
    sw = [owned.add(classWeightsToSampleWeights(ys[0]!, classWeight))];
  }
  const weightTensors = uniqueWeights(sw);
  checkSampleCounts([
    { role: role === 'x' ? 'x' : `${role} x`, names: inputNames(model), tensors: xs },
    { role: role === 'x' ? 'y' : `${role} y`, names, tensors: ys },
    ...(weightTensors.length === 0
      ? []
      : [{ role: 'sampleWeight', names: weightTensors.map((_, i) => String(i)), tensors: weightTensors }]),
  ]);
  return { x: xs, y: ys, sampleWeight: sw };
}

function uniqueWeights(sw: OutputSampleWeights): tf.Tensor[] {
  return sw === null ? [] : [...new Set(sw.filter((t): t is tf.Tensor => t !== null))];
}

/** How a flat list of arrays maps back to inputs, targets and per-output weights. */
export interface Layout {
  nx: number;
  ny: number;
  /** For each output, the index of its weight among the unique weight arrays, or -1. */
  weights: number[] | null;
}

export function flatten(a: Arrays): { list: tf.Tensor[]; layout: Layout } {
  const unique = uniqueWeights(a.sampleWeight);
  const weights = a.sampleWeight === null ? null : a.sampleWeight.map((t) => (t === null ? -1 : unique.indexOf(t)));
  return { list: [...a.x, ...a.y, ...unique], layout: { nx: a.x.length, ny: a.y.length, weights } };
}

/** How errors name each array of a flattened batch, in Keras terms. */
export function arrayLabels(model: Model, layout: Layout): string[] {
  const outputs = outputNames(model);
  const weightCount = layout.weights === null ? 0 : Math.max(-1, ...layout.weights) + 1;
  const weightOwners = (k: number): string[] => outputs.filter((_, i) => layout.weights?.[i] === k);
  return [
    ...inputNames(model)
      .slice(0, layout.nx)
      .map((name) => `input "${name}"`),
    ...outputs.slice(0, layout.ny).map((name) => `target for output "${name}"`),
    ...Array.from({ length: weightCount }, (_, k) =>
      outputs.length === 1
        ? 'sample weight'
        : `sample weight for output(s) ${weightOwners(k)
            .map((n) => `"${n}"`)
            .join(', ')}`,
    ),
  ];
}

export function unflatten(list: tf.Tensor[], layout: Layout): Batch {
  const { nx, ny, weights } = layout;
  return {
    x: list.slice(0, nx),
    y: list.slice(nx, nx + ny),
    sampleWeight: weights === null ? null : weights.map((k) => (k < 0 ? null : list[nx + ny + k]!)),
  };
}
