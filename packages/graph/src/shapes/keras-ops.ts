/**
 * `keras.ops` calls recorded in functional configs. Keras 3 turns an op applied to a symbolic
 * tensor (`ops.not_equal(x, 0)` inside `Embedding(mask_zero=True)`, `x * 2`, `ops.mean(x, axis=1)`)
 * into a node of the model: `{"module": "keras.src.ops.numpy", "class_name": "NotEqual",
 * "registered_name": "NotEqual", "config": {"name": …, <op options such as axis>}}`, with the
 * op's positional arguments — tensors and constants — in the node's `args`.
 *
 * This file holds the facts about those op classes (which exist, their module, their output shape
 * and dtype); `@strata/core` computes them.
 *
 * @packageDocumentation
 */
import type { JsonObject, JsonValue, Shape } from '../ir.js';
import { formatShape, ShapeError } from './errors.js';
import { getItemShape } from './keras-getitem.js';

/** The Keras module of each supported op class (what Keras writes as `module`). */
export const KERAS_OP_MODULES: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(
    [
      'Add',
      'Subtract',
      'Multiply',
      'Divide',
      'TrueDivide',
      'Power',
      'Maximum',
      'Minimum',
      'Equal',
      'NotEqual',
      'Greater',
      'GreaterEqual',
      'Less',
      'LessEqual',
      'LogicalAnd',
      'LogicalOr',
      'LogicalNot',
      'Sqrt',
      'Square',
      'Exp',
      'Log',
      'Absolute',
      'Abs',
      'Negative',
      'Tanh',
      'Mean',
      'Sum',
      'Max',
      'Min',
      'Reshape',
      'Transpose',
      'Matmul',
      'ExpandDims',
      'Squeeze',
      'Concatenate',
      'Stack',
      'Where',
      'GetItem',
      'ZerosLike',
      'OnesLike',
      'Any',
      'All',
    ].map((name) => [name, 'keras.src.ops.numpy']),
  ),
  Softmax: 'keras.src.ops.nn',
  Sigmoid: 'keras.src.ops.nn',
  Relu: 'keras.src.ops.nn',
  Cast: 'keras.src.ops.core',
  // `ops.convert_to_tensor` on a symbolic tensor (Keras 3's Attention writes it for a mask).
  ConvertToTensor: 'keras.src.ops.core',
});

/** Whether a Keras 3 `module` is one of Keras's op modules (`keras.src.ops.numpy`, `.nn`, `.core`, …). */
export function isKerasOpModule(module: string | undefined): boolean {
  return typeof module === 'string' && module.startsWith('keras.src.ops.');
}

/**
 * Whether a serialized layer entry is a `keras.ops` call rather than a layer. The `module`
 * decides when the file has one; legacy `.h5` files drop it, and some op classes share their
 * name with a layer (`Add`, `Concatenate`, `Reshape`, `Softmax`, …): then an entry whose config
 * has no `trainable` (every layer config has it, no op config does) is the op.
 */
export function isKerasOpEntry(entry: { className: string; module?: string; config: JsonObject }): boolean {
  if (entry.module !== undefined) return isKerasOpModule(entry.module);
  return Object.hasOwn(KERAS_OP_MODULES, entry.className) && !('trainable' in entry.config);
}

/**
 * A tensor operand of an op call: where the node's `args` had a `__keras_tensor__`, or a
 * concrete tensor Keras stored inline (`{"class_name": "__tensor__", "config": {"value", "dtype"}}`),
 * whose values are then in `constant`.
 */
export interface OpTensor {
  readonly tensor: { shape: Shape; dtype: string };
  readonly constant?: JsonValue;
}

/** An op's positional argument: a tensor, or a constant from the file (number, bool, list…). */
export type OpOperand = OpTensor | JsonValue | OpOperand[];

/** Whether an operand is a tensor slot. */
export function isOpTensor(value: unknown): value is OpTensor {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'tensor' in value;
}

type Where = { className: string; name: string };

const fail = (op: Where, detail: string): ShapeError => new ShapeError(op.name, op.className, detail);

/** Shape of an operand: a tensor's, or a constant's (scalar `[]`, nested list → its lengths). */
function operandShape(value: OpOperand | undefined, op: Where, position: number): Shape {
  if (isOpTensor(value)) return value.tensor.shape;
  if (typeof value === 'number' || typeof value === 'boolean') return [];
  if (Array.isArray(value)) {
    const inner = value.length > 0 ? operandShape(value[0], op, position) : [];
    return [value.length, ...inner];
  }
  throw fail(op, `argument ${position} is ${JSON.stringify(value ?? null)}, expected a tensor or a number`);
}

/** NumPy broadcasting of two shapes (unknown sizes stay unknown unless the other side fixes them). */
export function broadcastShapes(a: Shape, b: Shape, op: Where): Shape {
  const rank = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    const [ia, ib] = [a.length - rank + i, b.length - rank + i];
    const x = ia < 0 ? 1 : a[ia]!;
    const y = ib < 0 ? 1 : b[ib]!;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null) out.push(y);
    else if (y === null || x === y) out.push(x);
    else throw fail(op, `cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}`);
  }
  return out;
}

function resolveAxis(axis: number, rank: number, op: Where): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || resolved < 0 || resolved >= rank)
    throw fail(op, `axis ${axis} is out of range for rank ${rank}`);
  return resolved;
}

function axesOf(config: JsonObject, key: string, op: Where): number[] | null {
  const raw = config[key];
  if (raw === undefined || raw === null) return null;
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((v) => typeof v === 'number' && Number.isInteger(v)))
    throw fail(op, `"${key}" must be an integer or a list of integers, got ${JSON.stringify(raw)}`);
  return list as number[];
}

const UNARY = [
  'ZerosLike',
  'OnesLike',
  'Sqrt',
  'Square',
  'Exp',
  'Log',
  'Absolute',
  'Abs',
  'Negative',
  'Tanh',
  'Softmax',
  'Sigmoid',
  'Relu',
  'Cast',
  'ConvertToTensor',
  'LogicalNot',
];
const BINARY = ['Add', 'Subtract', 'Multiply', 'Divide', 'TrueDivide', 'Power', 'Maximum', 'Minimum'];
const COMPARISONS = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr'];

function reduceShape(shape: Shape, config: JsonObject, op: Where): Shape {
  const axes = axesOf(config, 'axis', op);
  const keepdims = config['keepdims'] === true;
  const reduced = new Set(axes === null ? shape.map((_, i) => i) : axes.map((a) => resolveAxis(a, shape.length, op)));
  return keepdims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
}

function reshapeShape(shape: Shape, config: JsonObject, op: Where): Shape {
  const target = config['newshape'];
  const dims = typeof target === 'number' ? [target] : target;
  if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw fail(op, `"newshape" must be a list of integers, got ${JSON.stringify(target)}`);
  }
  const wanted = dims as number[];
  const free = wanted.filter((d) => d === -1).length;
  if (free > 1) throw fail(op, `"newshape" ${JSON.stringify(wanted)} may hold at most one -1`);
  const total = shape.every((d): d is number => d !== null) ? shape.reduce((p, d) => p * d, 1) : null;
  const known = wanted.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  if (total !== null && (free === 0 ? known !== total : total % known !== 0)) {
    throw fail(op, `cannot reshape ${formatShape(shape)} (${total} values) to ${JSON.stringify(wanted)}`);
  }
  return wanted.map((d) => (d !== -1 ? d : total === null ? null : total / known));
}

function matmulShape(a: Shape, b: Shape, op: Where): Shape {
  if (a.length === 0 || b.length === 0) throw fail(op, 'matmul needs operands of rank ≥ 1');
  const x = a.length === 1 ? [1, a[0]!] : a;
  const y = b.length === 1 ? [b[0]!, 1] : b;
  const inner = [x[x.length - 1]!, y[y.length - 2]!];
  if (inner[0] !== null && inner[1] !== null && inner[0] !== inner[1]) {
    throw fail(
      op,
      `cannot multiply ${formatShape(a)} by ${formatShape(b)}: inner sizes ${inner[0]} and ${inner[1]} differ`,
    );
  }
  const batch = broadcastShapes(x.slice(0, -2), y.slice(0, -2), op);
  const out: (number | null)[] = [
    ...batch,
    ...(a.length === 1 ? [] : [x[x.length - 2]!]),
    ...(b.length === 1 ? [] : [y[y.length - 1]!]),
  ];
  return out;
}

function joinShapes(shapes: Shape[], axis: number, stack: boolean, op: Where): Shape {
  const first = shapes[0];
  if (first === undefined) throw fail(op, 'needs at least one tensor');
  if (shapes.some((s) => s.length !== first.length))
    throw fail(op, `all tensors must have the same rank, got ${shapes.map(formatShape).join(', ')}`);
  if (stack) {
    const at = resolveAxis(axis, first.length + 1, op);
    const out: (number | null)[] = [...first];
    out.splice(at, 0, shapes.length);
    return out;
  }
  const at = resolveAxis(axis, first.length, op);
  return first.map((d, i) => {
    if (i !== at) return d;
    const sizes = shapes.map((s) => s[at]);
    return sizes.every((s): s is number => s !== null && s !== undefined) ? sizes.reduce((p, s) => p + s, 0) : null;
  });
}

/**
 * Output shape of one op call, as Keras's `compute_output_spec` gives it.
 *
 * @param className - the op class, e.g. `"NotEqual"`
 * @param config - the op's config (`axis`, `keepdims`, `newshape`, …)
 * @param operands - the call's positional arguments, tensors as {@link OpTensor}
 * @param name - the op's name in the model, for errors
 * @throws ShapeError when the operands do not fit the op or the class is unknown
 */
export function inferOpOutputShape(
  className: string,
  config: JsonObject,
  operands: readonly OpOperand[],
  name: string,
): Shape {
  const op = { className, name };
  const shapeAt = (i: number): Shape => operandShape(operands[i], op, i);
  if (UNARY.includes(className)) return shapeAt(0);
  if (BINARY.includes(className) || COMPARISONS.includes(className)) return broadcastShapes(shapeAt(0), shapeAt(1), op);
  switch (className) {
    case 'Any':
    case 'All':
    case 'Mean':
    case 'Sum':
    case 'Max':
    case 'Min':
      return reduceShape(shapeAt(0), config, op);
    case 'Reshape':
      return reshapeShape(shapeAt(0), config, op);
    case 'Transpose': {
      const shape = shapeAt(0);
      const axes = axesOf(config, 'axes', op) ?? shape.map((_, i) => shape.length - 1 - i);
      if (axes.length !== shape.length)
        throw fail(op, `"axes" ${JSON.stringify(axes)} must list all ${shape.length} axes of ${formatShape(shape)}`);
      return axes.map((a) => shape[resolveAxis(a, shape.length, op)]!);
    }
    case 'Matmul':
      return matmulShape(shapeAt(0), shapeAt(1), op);
    case 'ExpandDims': {
      const out: (number | null)[] = [...shapeAt(0)];
      const axes = axesOf(config, 'axis', op) ?? [];
      const rank = out.length + axes.length;
      for (const a of axes.map((v) => resolveAxis(v, rank, op)).sort((p, q) => p - q)) out.splice(a, 0, 1);
      return out;
    }
    case 'Squeeze': {
      const shape = shapeAt(0);
      const axes = axesOf(config, 'axis', op);
      const drop = new Set(
        axes === null
          ? shape.flatMap((d, i) => (d === 1 ? [i] : []))
          : axes.map((a) => resolveAxis(a, shape.length, op)),
      );
      for (const i of drop)
        if (shape[i] !== 1 && shape[i] !== null)
          throw fail(op, `cannot squeeze axis ${i} of ${formatShape(shape)}: its size is not 1`);
      return shape.filter((_, i) => !drop.has(i));
    }
    case 'Concatenate':
    case 'Stack': {
      const list = operands[0];
      if (!Array.isArray(list)) throw fail(op, 'expects a list of tensors as its first argument');
      const axis = typeof config['axis'] === 'number' ? config['axis'] : 0;
      return joinShapes(
        list.map((item, i) => operandShape(item, op, i)),
        axis,
        className === 'Stack',
        op,
      );
    }
    case 'GetItem':
      try {
        return getItemShape(shapeAt(0), (operands[1] ?? null) as JsonValue);
      } catch (cause) {
        throw fail(
          op,
          `cannot index ${formatShape(shapeAt(0))}: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
      }
    case 'Where':
      if (operands.length !== 3)
        throw fail(op, `Strata supports where(condition, x, y) with 3 arguments, got ${operands.length}`);
      return broadcastShapes(broadcastShapes(shapeAt(0), shapeAt(1), op), shapeAt(2), op);
    default:
      throw fail(
        op,
        `"${className}" is not a supported keras.ops class; supported: ${Object.keys(KERAS_OP_MODULES).sort().join(', ')}`,
      );
  }
}

function operandDtype(value: OpOperand | undefined): string | 'weak-int' | 'weak-float' {
  if (isOpTensor(value)) return value.tensor.dtype;
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'weak-int' : 'weak-float';
  if (Array.isArray(value)) return operandDtype(value.flat(Infinity as 1)[0]);
  return 'float32';
}

/**
 * Output dtype of an op call (Keras's result type, for the float32/int32/bool tensors Strata runs):
 * comparisons give `bool`; `Cast` its `dtype`; `Mean`, `Divide`, `TrueDivide` and float functions
 * of integers give `float32`; otherwise float wins over int, and Python scalars follow the tensor.
 */
export function inferOpOutputDtype(className: string, config: JsonObject, operands: readonly OpOperand[]): string {
  if (COMPARISONS.includes(className) || ['LogicalNot', 'Any', 'All'].includes(className)) return 'bool';
  if ((className === 'ZerosLike' || className === 'OnesLike') && typeof config['dtype'] === 'string')
    return config['dtype'];
  if (className === 'Cast') return typeof config['dtype'] === 'string' ? config['dtype'] : 'float32';
  // ConvertToTensor keeps its input's dtype unless given one (`dtype: null` is Keras's default).
  if (className === 'ConvertToTensor' && typeof config['dtype'] === 'string') return config['dtype'];
  if (className === 'ConvertToTensor' && isOpTensor(operands[0])) return operands[0].tensor.dtype;
  if (className === 'GetItem') return isOpTensor(operands[0]) ? operands[0].tensor.dtype : 'float32';
  const flat =
    (className === 'Concatenate' || className === 'Stack') && Array.isArray(operands[0])
      ? operands[0]
      : className === 'Where'
        ? operands.slice(1)
        : operands;
  const dtypes = flat.map(operandDtype);
  const strong = dtypes.filter((d) => d !== 'weak-int' && d !== 'weak-float');
  const float = strong.some((d) => d.startsWith('float')) || strong.length === 0 || dtypes.includes('weak-float');
  if (
    float ||
    ['Mean', 'Divide', 'TrueDivide', 'Sqrt', 'Exp', 'Log', 'Tanh', 'Softmax', 'Sigmoid'].includes(className)
  ) {
    return strong.find((d) => d.startsWith('float')) ?? 'float32';
  }
  return strong.find((d) => d.startsWith('int')) ?? strong[0] ?? 'int32';
}

/**
 * The operands of an op call: the node's verbatim `args` (Keras 3 writes them when they hold
 * constants) with each `__keras_tensor__` replaced, depth-first, by the next of `tensors`; or,
 * without `args`, the tensors themselves (as one list when the op took a list, e.g. Concatenate).
 *
 * @throws Error when `args` holds more tensors than given
 */
export function opOperandsOf(
  args: readonly JsonValue[] | undefined,
  inputsAsList: boolean,
  tensors: readonly { shape: Shape; dtype: string }[],
): OpOperand[] {
  if (args === undefined) {
    const list = tensors.map((tensor) => ({ tensor }));
    return inputsAsList ? [list] : list;
  }
  let next = 0;
  const fill = (value: JsonValue): OpOperand => {
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      value['class_name'] === '__keras_tensor__'
    ) {
      const tensor = tensors[next++];
      if (tensor === undefined) throw new Error(`the op's args hold more tensors than the ${tensors.length} given`);
      return { tensor };
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && value['class_name'] === '__tensor__') {
      const config = value['config'];
      const inline = typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {};
      const constant = inline['value'] ?? null;
      const dtype = typeof inline['dtype'] === 'string' ? inline['dtype'] : 'float32';
      return { tensor: { shape: constantShape(constant), dtype }, constant };
    }
    return Array.isArray(value) ? value.map(fill) : value;
  };
  return args.map(fill);
}

/** The shape of a nested-list constant (`[]` for a scalar). */
function constantShape(value: JsonValue): Shape {
  return Array.isArray(value) ? [value.length, ...(value.length > 0 ? constantShape(value[0]!) : [])] : [];
}
