/** Shape rules for merge layers (Keras `layers/merging`). */
import type { Shape } from '../ir.js';
import { configInt, resolveAxis, shapeError, type LayerCall, type ShapeRule } from './call.js';
import { formatShape } from './errors.js';

function listOf(shapes: readonly Shape[]): string {
  return shapes.map(formatShape).join(', ');
}

/** The batch size common to all inputs (`null` if unknown); different known sizes are an error. */
function commonBatch(call: LayerCall): number | null {
  const sizes = new Set(
    call.inputs.map((shape) => shape[0]).filter((dim): dim is number => dim !== null && dim !== undefined),
  );
  if (sizes.size > 1) throw shapeError(call, `cannot merge tensors with different batch sizes: ${listOf(call.inputs)}`);
  const [size] = sizes;
  return size ?? null;
}

/**
 * Broadcast of two non-batch shapes as Keras's `_compute_elemwise_op_output_shape`:
 * aligned from the right, a 1 stretches, unknown stays unknown, other sizes must match.
 */
function broadcast(call: LayerCall, a: Shape, b: Shape): Shape {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out: (number | null)[] = long.slice(0, long.length - short.length);
  short.forEach((j, k) => {
    const i = long[long.length - short.length + k] ?? null;
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else {
      throw shapeError(
        call,
        `expected inputs with broadcast-compatible shapes, got ${listOf(call.inputs)} (non-batch dimensions ${i} and ${j} differ and neither is 1)`,
      );
    }
  });
  return out;
}

/** `Add`, `Multiply`, … : one or more inputs (exactly `count` when given) broadcast together. */
function elementwiseRule(count?: number): ShapeRule {
  return (call: LayerCall): Shape[] => {
    const n = call.inputs.length;
    if (count !== undefined ? n !== count : n < 1) {
      const wanted = count !== undefined ? `exactly ${count} inputs` : 'a list of at least 1 input';
      throw shapeError(call, `expected ${wanted}, got ${n}${n > 0 ? ` (${listOf(call.inputs)})` : ''}`);
    }
    const batch = commonBatch(call);
    let out: Shape = (call.inputs[0] as Shape).slice(1);
    for (const shape of call.inputs.slice(1)) out = broadcast(call, out, shape.slice(1));
    return [[batch, ...out]];
  };
}

/** `Concatenate`: same rank, equal sizes except on `axis` (default -1), which adds up. */
const concatenate: ShapeRule = (call) => {
  const [first] = call.inputs;
  if (first === undefined) throw shapeError(call, 'expected a list of at least 1 input, got 0');
  const axisValue = configInt(call, 'axis', -1);
  const axis = resolveAxis(call, axisValue, first);
  const mismatch = (): Error =>
    shapeError(
      call,
      `expected inputs with matching shapes except on the concatenation axis ${axisValue}, got ${listOf(call.inputs)}`,
    );
  const out: (number | null)[] = [...first];
  for (const shape of call.inputs.slice(1)) {
    if (shape.length !== first.length) throw mismatch();
    shape.forEach((dim, i) => {
      if (i === axis) {
        const sum = out[i] ?? null;
        out[i] = sum === null || dim === null ? null : sum + dim;
      } else if (dim !== null) {
        const known = out[i] ?? null;
        if (known !== null && known !== dim) throw mismatch();
        out[i] = dim;
      }
    });
  }
  return [out];
};

/**
 * Dot(axes): contracts one axis of each of two inputs (Keras `Dot.compute_output_shape`): the
 * first shape without its axis, then the second without batch and its axis; `(batch, 1)` if
 * nothing else remains.
 */
const dot: ShapeRule = (call) => {
  if (call.inputs.length !== 2) throw shapeError(call, `expected exactly 2 inputs, got ${call.inputs.length}`);
  const [a, b] = call.inputs as [Shape, Shape];
  const raw = call.config['axes'];
  const pair = Array.isArray(raw) ? raw : [raw, raw];
  if (pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw shapeError(call, `axes must be an integer or a list of 2 integers, got ${JSON.stringify(raw)}`);
  }
  const axisA = resolveAxis(call, pair[0] as number, a, 'axes');
  const axisB = resolveAxis(call, pair[1] as number, b, 'axes');
  const sizeA = a[axisA];
  const sizeB = b[axisB];
  if (sizeA !== null && sizeB !== null && sizeA !== sizeB) {
    throw shapeError(
      call,
      `cannot contract axis ${axisA} of ${formatShape(a)} (size ${sizeA}) with axis ${axisB} of ${formatShape(b)} (size ${sizeB})`,
    );
  }
  const out: Shape = [...a.filter((_, i) => i !== axisA), ...b.filter((_, i) => i !== 0 && i !== axisB)];
  return [out.length === 1 ? [out[0] ?? null, 1] : out];
};

export const mergingRules: Record<string, ShapeRule> = {
  Dot: dot,
  Add: elementwiseRule(),
  Subtract: elementwiseRule(2),
  Multiply: elementwiseRule(),
  Average: elementwiseRule(),
  Maximum: elementwiseRule(),
  Minimum: elementwiseRule(),
  Concatenate: concatenate,
};
