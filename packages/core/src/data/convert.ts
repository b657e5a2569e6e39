/**
 * Turns user data into tensors, one per model input (or output): TF.js tensors, nested JS
 * arrays, typed arrays with a shape (`{data: Float32Array, shape: [n, 784]}`), and lists or
 * dicts (keyed by input/output name) of those. Errors name the input and what was found.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../utils/errors.js';

/** A typed array holding numbers. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray;

/** Flat numbers plus their shape, e.g. `{ data: pixels, shape: [60000, 28, 28, 1] }`. */
export interface ShapedArray {
  data: TypedArray | number[];
  shape: number[];
  /** Tensor dtype (default `int32` for Int32Array data, else `float32`). */
  dtype?: 'float32' | 'int32';
}

/** A (possibly nested) JS array of numbers. */
export type NestedArray = number[] | NestedArray[];

/** One array of samples. */
export type ArrayLikeData = tf.Tensor | ShapedArray | NestedArray | TypedArray;

/** Data for a model's inputs (or targets): one array, a list in input order, or a dict by name. */
export type DataInput = ArrayLikeData | ArrayLikeData[] | Record<string, ArrayLikeData>;

/** Converted data: tensors in input order, and which of them we created (and must dispose). */
export interface ConvertedData {
  tensors: tf.Tensor[];
  created: boolean[];
}

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** True for `{data, shape}` objects. */
export function isShapedArray(v: unknown): v is ShapedArray {
  return (
    v !== null &&
    typeof v === 'object' &&
    !(v instanceof tf.Tensor) &&
    'data' in v &&
    'shape' in v &&
    Array.isArray((v as ShapedArray).shape)
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}

/** Shape and flat values of a nested numeric array; errors name the input and the bad element. */
function flattenNested(value: unknown[], where: string): { shape: number[]; flat: Float32Array } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const flat = new Float32Array(size);
  let offset = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v === 'number') flat[offset++] = v;
      else if (typeof v === 'boolean') flat[offset++] = v ? 1 : 0;
      else throw new DataError(`${where}: expected numbers, found ${describe(v)} at ${path || '[]'}`);
      return;
    }
    if (!Array.isArray(v)) {
      throw new DataError(
        `${where}: expected an array of length ${shape[depth]} at ${path || '[]'} (nested arrays must be rectangular), found ${describe(v)}`,
      );
    }
    if (v.length !== shape[depth]) {
      throw new DataError(
        `${where}: ragged nested array — length ${v.length} at ${path || '[]'}, expected ${shape[depth]} like the first element`,
      );
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { shape, flat };
}

/** Whether `values` holds NaN; false without looking when NaN warnings are silenced (nothing would be said). */
function hasNaN(values: ArrayLike<number>): boolean {
  if (silenced) return false;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Converts one array of samples; warns once when it contains NaN. */
export function toTensor(value: unknown, where: string, allowString = false): { tensor: tf.Tensor; created: boolean } {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new DataError(`${where}: the tensor has been disposed`);
    // String tensors pass only for string inputs (StringLookup / TextVectorization models).
    if ((value.dtype === 'string' && !allowString) || value.dtype === 'complex64') {
      const expected = allowString
        ? 'a numeric or string tensor'
        : 'a numeric tensor (only an Input with dtype "string" takes strings)';
      throw new DataError(`${where}: expected ${expected}, got dtype ${value.dtype}`);
    }
    if (value.rank === 0) throw new DataError(`${where}: expected samples along the first axis, got a scalar tensor`);
    // Training steps silence the warning (they refuse NaN per batch): skip the scan and its read-back then.
    if (!silenced && value.dtype === 'float32' && tf.tidy(() => tf.any(tf.isNaN(value)).dataSync()[0]) === 1)
      warnNaN(where);
    return { tensor: value, created: false };
  }
  if (isShapedArray(value)) {
    const { data, shape } = value;
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new DataError(`${where}: invalid shape [${shape.join(', ')}]`);
    if (data.length !== size) {
      throw new DataError(`${where}: data has ${data.length} values but shape [${shape.join(', ')}] needs ${size}`);
    }
    if (Array.isArray(data) && data.some((d) => typeof d !== 'number')) {
      throw new DataError(
        `${where}: expected numbers in data, found ${describe(data.find((d) => typeof d !== 'number'))}`,
      );
    }
    if (hasNaN(data)) warnNaN(where);
    const dtype = value.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
    const typed =
      dtype === 'int32' ? Int32Array.from(data) : data instanceof Float32Array ? data : Float32Array.from(data);
    return { tensor: tf.tensor(typed, shape, dtype), created: true };
  }
  if (isTypedArray(value)) {
    if (hasNaN(value)) warnNaN(where);
    const typed =
      value instanceof Int32Array ? value : value instanceof Float32Array ? value : Float32Array.from(value);
    return { tensor: tf.tensor(typed, [value.length]), created: true };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new DataError(`${where}: got an empty array`);
    const { shape, flat } = flattenNested(value, where);
    if (hasNaN(flat)) warnNaN(where);
    return { tensor: tf.tensor(flat, shape, 'float32'), created: true };
  }
  throw new DataError(
    `${where}: expected a tf.Tensor, a nested array of numbers or {data, shape}, found ${describe(value)}`,
  );
}

let warnedInFit: Set<string> | null = null;
let silenced = false;

function warnNaN(where: string): void {
  if (silenced) return;
  if (warnedInFit !== null) {
    if (warnedInFit.has(where)) return;
    warnedInFit.add(where);
  }
  console.warn(`${where} contains NaN values; the loss will be NaN. Clean or impute the data first.`);
}

/**
 * Runs `fn` with NaN warnings de-duplicated per input (one warning per input per fit), or with
 * none when `silent` (training data, where NaN is refused per batch instead).
 */
export function withNaNWarningsOnce<T>(fn: () => T, options: { silent?: boolean } = {}): T {
  const outer = warnedInFit;
  const outerSilenced = silenced;
  warnedInFit = new Set();
  silenced = options.silent === true;
  try {
    return fn();
  } finally {
    warnedInFit = outer;
    silenced = outerSilenced;
  }
}

function isSingleArray(v: unknown): boolean {
  return v instanceof tf.Tensor || isShapedArray(v) || isTypedArray(v);
}

/**
 * Converts data for a model's inputs or targets. `role` is `x`, `y`, `sampleWeight` or `validationData`;
 * `names` are the input (or output) names, in order; `stringInputs[i]` lets input `i` be a string
 * tensor (an `Input` with dtype `string`).
 */
export function convertData(
  data: unknown,
  names: string[],
  role: string,
  stringInputs: readonly boolean[] = [],
): ConvertedData {
  const kind = role.startsWith('y') || role === 'sampleWeight' ? 'output' : 'input';
  const single = (v: unknown, i: number): { tensor: tf.Tensor; created: boolean } =>
    toTensor(
      v,
      names.length === 1 ? `${role} (${kind} "${names[0]}")` : `${role}["${names[i]}"]`,
      stringInputs[i] === true,
    );
  const out: ConvertedData = { tensors: [], created: [] };
  const push = (r: { tensor: tf.Tensor; created: boolean }): void => {
    out.tensors.push(r.tensor);
    out.created.push(r.created);
  };
  try {
    if (data === undefined || data === null)
      throw new DataError(`${role}: no data given (expected ${names.length} array(s): ${names.join(', ')})`);
    if (isSingleArray(data)) {
      if (names.length !== 1) {
        throw new DataError(
          `${role}: the model has ${names.length} ${role === 'x' ? 'inputs' : 'outputs'} [${names.join(', ')}]; pass a list or a dict keyed by name, got a single array`,
        );
      }
      push(single(data, 0));
    } else if (Array.isArray(data)) {
      // A list whose elements are all whole arrays is one array per input, even for a one-input model.
      const isList = names.length > 1 || (data.length > 0 && data.every(isSingleArray));
      if (!isList) {
        push(single(data, 0));
      } else {
        if (data.length !== names.length) {
          throw new DataError(
            `${role}: expected ${names.length} array(s) (one per ${kind}: ${names.join(', ')}), got a list of ${data.length}`,
          );
        }
        data.forEach((d, i) => push(single(d, i)));
      }
    } else if (typeof data === 'object') {
      const dict = data as Record<string, unknown>;
      const extra = Object.keys(dict).filter((k) => !names.includes(k));
      if (extra.length > 0)
        throw new DataError(
          `${role}: unknown key(s) ${extra.map((k) => `"${k}"`).join(', ')}; expected keys: ${names.join(', ')}`,
        );
      names.forEach((name, i) => {
        if (!Object.hasOwn(dict, name))
          throw new DataError(`${role}: missing "${name}"; got keys: ${Object.keys(dict).join(', ')}`);
        push(single(dict[name], i));
      });
    } else {
      throw new DataError(
        `${role}: expected a tf.Tensor, a nested array of numbers, {data, shape}, a list or a dict, found ${describe(data)}`,
      );
    }
  } catch (error) {
    disposeCreated(out);
    throw error;
  }
  return out;
}

/** Frees the tensors `convertData` created (not the user's own). */
export function disposeCreated(data: ConvertedData): void {
  data.tensors.forEach((t, i) => {
    if (data.created[i] === true) t.dispose();
  });
}

/** Checks that all arrays have the same number of samples; the error lists every count. */
export function checkSampleCounts(groups: { role: string; names: string[]; tensors: tf.Tensor[] }[]): number {
  const counts: string[] = [];
  let n: number | null = null;
  let mismatch = false;
  for (const g of groups) {
    g.tensors.forEach((t, i) => {
      const count = t.shape[0]!;
      counts.push(`${g.role}${g.tensors.length > 1 ? `["${g.names[i]}"]` : ''}: ${count}`);
      if (n === null) n = count;
      else if (n !== count) mismatch = true;
    });
  }
  if (mismatch)
    throw new DataError(
      `Data arrays have different numbers of samples (${counts.join(', ')}); they must all have the same first dimension`,
    );
  if (n === null || n === 0) throw new DataError('No samples: the data is empty');
  return n;
}
