/**
 * What each supported `keras.ops` class computes, on TF.js kernels. Shapes and result dtypes are
 * `@strata/graph`'s rules (`inferOpOutputShape` / `inferOpOutputDtype`); here only the values.
 * Semantics follow Keras's NumPy-style ops: broadcasting, Python scalars taking the tensor's
 * dtype, integer division and means giving floats.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getItemSteps, type JsonObject, type JsonValue } from '@strata/graph';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';

/** An op argument at run time: a tensor, or a constant from the file. */
export type RuntimeOperand = tf.Tensor | number | boolean | null | string | RuntimeOperand[];

/** What a kernel knows of its call besides the operands. */
export interface OpCallInfo {
  /** Result dtype (from `inferOpOutputDtype`). */
  dtype: string;
  name: string;
  className: string;
}

/** Computes one op call. */
export type OpKernel = (operands: RuntimeOperand[], options: JsonObject, info: OpCallInfo) => tf.Tensor;

/**
 * An op's arguments or options (as recorded in the model) that Strata cannot run: an unsupported
 * dtype or option, the wrong number or kind of arguments. Shape problems pass `InputShapeError`.
 */
function fail(info: OpCallInfo, detail: string, Kind: new (message: string) => Error = ConfigurationError): Error {
  return new Kind(`Op "${info.name}" (${info.className}): ${detail}`);
}

function runtimeDtype(dtype: string, info: OpCallInfo): tf.DataType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  if (dtype.startsWith('float')) return 'float32';
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return 'int32';
  throw fail(info, `dtype "${dtype}" is not supported (float32, int32 or bool)`);
}

/** An operand as a tensor of `dtype` (constants are made tensors, tensors cast when needed). */
function asTensor(value: RuntimeOperand | undefined, dtype: tf.DataType, info: OpCallInfo): tf.Tensor {
  if (value instanceof tf.Tensor) return value.dtype === dtype ? value : tf.cast(value, dtype);
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) {
    return tf.tensor(value as number | number[], undefined, dtype);
  }
  throw fail(info, `expected a tensor or a number as argument, got ${JSON.stringify(value ?? null)}`);
}

/** The dtype both sides of an arithmetic or comparison op are computed in (NumPy/Keras promotion). */
function commonDtype(operands: RuntimeOperand[]): tf.DataType {
  const flat = operands.flat(Infinity as 1) as RuntimeOperand[];
  const tensors = flat.filter((v): v is tf.Tensor => v instanceof tf.Tensor);
  if (tensors.some((t) => t.dtype === 'float32')) return 'float32';
  if (flat.some((v) => typeof v === 'number' && !Number.isInteger(v))) return 'float32';
  if (
    tensors.length > 0 &&
    tensors.every((t) => t.dtype === 'bool') &&
    flat.every((v) => v instanceof tf.Tensor || typeof v === 'boolean')
  )
    return 'bool';
  return tensors.length > 0 ? 'int32' : 'float32';
}

function binary(
  fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  computeIn: 'result' | 'common' | 'bool' = 'result',
): OpKernel {
  return (operands, _options, info) => {
    if (operands.length !== 2) throw fail(info, `expected 2 arguments, got ${operands.length}`);
    const dtype =
      computeIn === 'bool' ? 'bool' : computeIn === 'common' ? commonDtype(operands) : runtimeDtype(info.dtype, info);
    return fn(asTensor(operands[0], dtype, info), asTensor(operands[1], dtype, info));
  };
}

function unary(fn: (x: tf.Tensor) => tf.Tensor, float = false): OpKernel {
  return (operands, _options, info) => {
    const x = asTensor(operands[0], float ? 'float32' : runtimeDtype(info.dtype, info), info);
    return fn(x);
  };
}

function axesOption(options: JsonObject, key: string): number[] | undefined {
  const raw = options[key];
  if (raw === undefined || raw === null) return undefined;
  return (Array.isArray(raw) ? raw : [raw]) as number[];
}

function reduction(
  fn: (x: tf.Tensor, axis: number[] | undefined, keepDims: boolean) => tf.Tensor,
  float = false,
): OpKernel {
  return (operands, options, info) => {
    if (options['initial'] !== undefined && options['initial'] !== null) throw fail(info, '`initial` is not supported');
    const source = operands[0];
    const x = asTensor(source, float ? 'float32' : source instanceof tf.Tensor ? source.dtype : 'float32', info);
    return fn(x, axesOption(options, 'axis'), options['keepdims'] === true);
  };
}

function resolve(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Softmax along any axis (TF.js's kernel takes the last one only). */
function softmaxAlong(x: tf.Tensor, axis: number): tf.Tensor {
  const at = resolve(axis, x.rank);
  if (at === x.rank - 1) return tf.softmax(x);
  const shifted = tf.sub(x, tf.max(x, at, true));
  const e = tf.exp(shifted);
  return tf.div(e, tf.sum(e, at, true));
}

function matmul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const x = a.rank === 1 ? tf.expandDims(a, 0) : a;
  const y = b.rank === 1 ? tf.expandDims(b, 1) : b;
  let out: tf.Tensor;
  if (x.rank === 2 && y.rank === 2) out = tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D);
  else {
    // Broadcast the batch dimensions, then a batched matmul.
    const dims = broadcastDims([x.shape.slice(0, -2), y.shape.slice(0, -2)]);
    const xb = tf.broadcastTo(x, [...dims, ...x.shape.slice(-2)]);
    const yb = tf.broadcastTo(y, [...dims, ...y.shape.slice(-2)]);
    out = tf.matMul(xb, yb);
  }
  if (a.rank === 1) out = tf.squeeze(out, [out.rank - 2]);
  if (b.rank === 1) out = tf.squeeze(out, [out.rank - 1]);
  return out;
}

function listOperand(operands: RuntimeOperand[], info: OpCallInfo): tf.Tensor[] {
  const list = operands[0];
  if (!Array.isArray(list) || !list.every((t) => t instanceof tf.Tensor))
    throw fail(info, 'expects a list of tensors as its first argument');
  const dtype = commonDtype(list);
  return (list as tf.Tensor[]).map((t) => asTensor(t, dtype, info));
}

/** The broadcast of concrete shapes (the checks were done by the shape rules). */
function broadcastDims(shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => Math.max(...shapes.map((s) => s[s.length - rank + i] ?? 1)));
}

/** The kernels, by Keras op class name. */
export const OP_KERNELS: Readonly<Record<string, OpKernel>> = Object.freeze({
  Add: binary(tf.add),
  Subtract: binary(tf.sub),
  Multiply: binary(tf.mul),
  Divide: binary(tf.div),
  TrueDivide: binary(tf.div),
  Power: binary(tf.pow),
  Maximum: binary(tf.maximum),
  Minimum: binary(tf.minimum),
  Equal: binary(tf.equal, 'common'),
  NotEqual: binary(tf.notEqual, 'common'),
  Greater: binary(tf.greater, 'common'),
  GreaterEqual: binary(tf.greaterEqual, 'common'),
  Less: binary(tf.less, 'common'),
  LessEqual: binary(tf.lessEqual, 'common'),
  LogicalAnd: binary(tf.logicalAnd, 'bool'),
  LogicalOr: binary(tf.logicalOr, 'bool'),
  LogicalNot: (operands, _options, info) => tf.logicalNot(asTensor(operands[0], 'bool', info)),
  Sqrt: unary(tf.sqrt, true),
  Square: unary(tf.square),
  Exp: unary(tf.exp, true),
  Log: unary(tf.log, true),
  Absolute: unary(tf.abs),
  Abs: unary(tf.abs),
  Negative: unary(tf.neg),
  Tanh: unary(tf.tanh, true),
  Sigmoid: unary(tf.sigmoid, true),
  Relu: unary(tf.relu),
  Softmax: (operands, options, info) =>
    softmaxAlong(asTensor(operands[0], 'float32', info), typeof options['axis'] === 'number' ? options['axis'] : -1),
  Cast: (operands, _options, info) => asTensor(operands[0], runtimeDtype(info.dtype, info), info),
  ConvertToTensor: (operands, options, info) => {
    if (options['sparse'] === true || options['ragged'] === true)
      throw fail(info, 'sparse and ragged tensors are not supported (sparse and ragged must be null or false)');
    // A new tensor even when the dtype matches: the op's output is its own tensor, as every op's.
    const x = asTensor(operands[0], runtimeDtype(info.dtype, info), info);
    return x === operands[0] ? tf.clone(x) : x;
  },
  ZerosLike: (operands, _options, info) =>
    tf.zeros(asTensor(operands[0], 'float32', info).shape, runtimeDtype(info.dtype, info)),
  OnesLike: (operands, _options, info) =>
    tf.ones(asTensor(operands[0], 'float32', info).shape, runtimeDtype(info.dtype, info)),
  Any: (operands, options, info) =>
    tf.any(asTensor(operands[0], 'bool', info), axesOption(options, 'axis'), options['keepdims'] === true),
  All: (operands, options, info) =>
    tf.all(asTensor(operands[0], 'bool', info), axesOption(options, 'axis'), options['keepdims'] === true),
  Mean: reduction((x, axis, keep) => tf.mean(x, axis, keep), true),
  Sum: reduction((x, axis, keep) => tf.sum(x, axis, keep)),
  Max: reduction((x, axis, keep) => tf.max(x, axis, keep)),
  Min: reduction((x, axis, keep) => tf.min(x, axis, keep)),
  Reshape: (operands, options, info) => {
    const raw = options['newshape'];
    return tf.reshape(
      asTensor(operands[0], runtimeDtype(info.dtype, info), info),
      (typeof raw === 'number' ? [raw] : raw) as number[],
    );
  },
  Transpose: (operands, options, info) => {
    const x = asTensor(operands[0], runtimeDtype(info.dtype, info), info);
    const axes = axesOption(options, 'axes');
    return tf.transpose(
      x,
      axes?.map((a) => resolve(a, x.rank)),
    );
  },
  Matmul: binary(matmul),
  ExpandDims: (operands, options, info) => {
    let x = asTensor(operands[0], runtimeDtype(info.dtype, info), info);
    const axes = axesOption(options, 'axis') ?? [];
    const rank = x.rank + axes.length;
    for (const a of axes.map((v) => resolve(v, rank)).sort((p, q) => p - q)) x = tf.expandDims(x, a);
    return x;
  },
  Squeeze: (operands, options, info) => {
    const x = asTensor(operands[0], runtimeDtype(info.dtype, info), info);
    return tf.squeeze(
      x,
      axesOption(options, 'axis')?.map((a) => resolve(a, x.rank)),
    );
  },
  Concatenate: (operands, options, info) => {
    const list = listOperand(operands, info);
    return tf.concat(list, resolve(typeof options['axis'] === 'number' ? options['axis'] : 0, list[0]!.rank));
  },
  Stack: (operands, options, info) => {
    const list = listOperand(operands, info);
    return tf.stack(list, resolve(typeof options['axis'] === 'number' ? options['axis'] : 0, list[0]!.rank + 1));
  },
  GetItem: (operands, _options, info) => {
    let out = operands[0];
    if (!(out instanceof tf.Tensor)) throw fail(info, 'expects a tensor to index');
    let steps;
    try {
      steps = getItemSteps(out.shape, (operands[1] ?? null) as JsonValue);
    } catch (cause) {
      throw fail(
        info,
        `cannot index shape [${out.shape.join(', ')}]: ${cause instanceof Error ? cause.message : String(cause)}`,
        InputShapeError,
      );
    }
    for (const step of steps) {
      if (step.kind === 'newaxis') out = tf.expandDims(out, step.axis);
      else if (step.kind === 'index') out = tf.squeeze(tf.gather(out, [step.index], step.axis), [step.axis]);
      else {
        const indices = Array.from({ length: step.size ?? 0 }, (_, i) => step.start + i * step.step);
        out =
          step.step === 1
            ? tf.slice(
                out,
                out.shape.map((_, a) => (a === step.axis ? step.start : 0)),
                out.shape.map((d, a) => (a === step.axis ? indices.length : d)),
              )
            : tf.gather(out, indices, step.axis);
      }
    }
    return out;
  },
  Where: (operands, _options, info) => {
    if (operands.length !== 3)
      throw fail(info, `Strata supports where(condition, x, y) with 3 arguments, got ${operands.length}`);
    const dtype = runtimeDtype(info.dtype, info);
    const parts = [
      asTensor(operands[0], 'bool', info),
      asTensor(operands[1], dtype, info),
      asTensor(operands[2], dtype, info),
    ];
    const shape = broadcastDims(parts.map((t) => t.shape));
    const [c, a, b] = parts.map((t) => tf.broadcastTo(t, shape));
    return tf.where(c as tf.Tensor, a as tf.Tensor, b as tf.Tensor);
  },
});
