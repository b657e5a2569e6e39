/**
 * `x[...]` on a symbolic tensor: Keras 3 records it as a `GetItem` op whose second argument is the
 * key — an integer, `null` (NumPy's `newaxis`), `{"class_name": "__slice__", "config": {start,
 * stop, step}}`, `{"class_name": "__ellipsis__"}`, or a list of those. This resolves a key against
 * a shape into per-axis steps (NumPy basic indexing), which give both the output shape here and
 * the computation in `@strata/core`.
 *
 * @packageDocumentation
 */
import type { JsonValue, Shape } from '../ir.js';

/** One step of an indexing, on the axis of the result being built. */
export type GetItemStep =
  | { kind: 'newaxis'; axis: number }
  | { kind: 'index'; axis: number; index: number }
  | { kind: 'slice'; axis: number; start: number; stop: number; step: number; size: number | null };

type KeyEntry =
  | { kind: 'int'; value: number }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null };

function parseEntry(value: JsonValue): KeyEntry {
  if (value === null) return { kind: 'none' };
  if (typeof value === 'number' && Number.isInteger(value)) return { kind: 'int', value };
  if (typeof value === 'object' && !Array.isArray(value)) {
    if (value['class_name'] === '__ellipsis__') return { kind: 'ellipsis' };
    const config = value['config'];
    if (
      value['class_name'] === '__slice__' &&
      typeof config === 'object' &&
      config !== null &&
      !Array.isArray(config)
    ) {
      const part = (key: string): number | null => {
        const v = config[key];
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        throw new Error(`slice ${key} must be an integer or null, got ${JSON.stringify(v)}`);
      };
      return { kind: 'slice', start: part('start'), stop: part('stop'), step: part('step') };
    }
  }
  throw new Error(`index ${JSON.stringify(value)} is not supported (integers, slices, None and Ellipsis are)`);
}

/** Python's `slice.indices(size)` and the resulting length. */
function sliceIndices(
  start: number | null,
  stop: number | null,
  step: number | null,
  size: number,
): { start: number; stop: number; step: number; size: number } {
  const s = step ?? 1;
  if (s === 0) throw new Error('slice step cannot be zero');
  const clamp = (v: number | null, fallback: number, low: number, high: number): number => {
    if (v === null) return fallback;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, low), high);
  };
  const b = s > 0 ? clamp(start, 0, 0, size) : clamp(start, size - 1, -1, size - 1);
  const e = s > 0 ? clamp(stop, size, 0, size) : clamp(stop, -1, -1, size - 1);
  const length = s > 0 ? Math.max(0, Math.ceil((e - b) / s)) : Math.max(0, Math.ceil((b - e) / -s));
  return { start: b, stop: e, step: s, size: length };
}

/**
 * Resolves an indexing key against a shape (unknown sizes allowed: an index or a full slice of
 * an unknown axis keeps it unknown).
 *
 * @throws Error naming the problem (index out of range, too many indices, unsupported entry)
 */
export function getItemSteps(shape: Shape, key: JsonValue): GetItemStep[] {
  const entries = (Array.isArray(key) ? key : [key]).map(parseEntry);
  const used = entries.filter((e) => e.kind === 'int' || e.kind === 'slice').length;
  if (entries.filter((e) => e.kind === 'ellipsis').length > 1)
    throw new Error('an index can only have a single ellipsis');
  if (used > shape.length) throw new Error(`too many indices: ${used} for a tensor of rank ${shape.length}`);
  const full: KeyEntry = { kind: 'slice', start: null, stop: null, step: null };
  const expanded: KeyEntry[] = [];
  for (const entry of entries) {
    if (entry.kind === 'ellipsis') for (let i = 0; i < shape.length - used; i++) expanded.push(full);
    else expanded.push(entry);
  }
  while (expanded.filter((e) => e.kind === 'int' || e.kind === 'slice').length < shape.length) expanded.push(full);
  const steps: GetItemStep[] = [];
  let source = 0;
  let axis = 0;
  for (const entry of expanded) {
    if (entry.kind === 'none') {
      steps.push({ kind: 'newaxis', axis });
      axis += 1;
      continue;
    }
    const size = shape[source++]!;
    if (entry.kind === 'int') {
      if (size !== null && (entry.value >= size || entry.value < -size))
        throw new Error(`index ${entry.value} is out of bounds for axis ${source - 1} with size ${size}`);
      steps.push({ kind: 'index', axis, index: size === null || entry.value >= 0 ? entry.value : entry.value + size });
    } else if (entry.kind === 'slice') {
      if (size === null) {
        // Resolved against the concrete size when the op runs; the size stays unknown here.
        steps.push({
          kind: 'slice',
          axis,
          start: entry.start ?? 0,
          stop: entry.stop ?? -1,
          step: entry.step ?? 1,
          size: null,
        });
      } else {
        const r = sliceIndices(entry.start, entry.stop, entry.step, size);
        steps.push({ kind: 'slice', axis, ...r });
      }
      axis += 1;
    }
  }
  return steps;
}

/** The output shape of `x[key]`. */
export function getItemShape(shape: Shape, key: JsonValue): Shape {
  const out: (number | null)[] = [];
  for (const step of getItemSteps(shape, key)) {
    if (step.kind === 'newaxis') out.push(1);
    else if (step.kind === 'slice') out.push(step.size);
  }
  return out;
}
