import type { JsonValue, TensorLayout, TensorRef } from '../ir.js';
import { ModelFormatError } from './errors.js';
import { describe, isHistoryTriple, isJsonObject } from './json.js';

/**
 * Reads a model's `input_layers` / `output_layers`: a `[name, node, index]` triple, or lists
 * / dicts of them nested any way. Returns the references in order and the nesting.
 */
export function decodeTensorLayout(
  value: JsonValue | undefined,
  where: string,
): { refs: TensorRef[]; layout: TensorLayout } {
  const refs: TensorRef[] = [];
  const visit = (node: JsonValue | undefined, path: string): TensorLayout => {
    if (node !== undefined && isHistoryTriple(node)) {
      refs.push({ layer: node[0], node: node[1], index: node[2] });
      return refs.length - 1;
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, `${path}[${i}]`));
    if (node !== undefined && isJsonObject(node)) {
      const out: { [key: string]: TensorLayout } = {};
      for (const [key, item] of Object.entries(node)) out[key] = visit(item, `${path}.${key}`);
      return out;
    }
    throw new ModelFormatError(
      path,
      `expected [layer_name, node_index, tensor_index] or a list of them, got ${describe(node)}`,
    );
  };
  const layout = visit(value, where);
  return { refs, layout };
}

/** Writes references back in the nesting they were read with (default: a list of triples). */
export function encodeTensorLayout(refs: readonly TensorRef[], layout: TensorLayout | undefined): JsonValue {
  const triple = (ref: TensorRef): JsonValue => [ref.layer, ref.node, ref.index];
  if (layout === undefined || countLeaves(layout) !== refs.length) return refs.map(triple);
  const visit = (node: TensorLayout): JsonValue => {
    if (typeof node === 'number') {
      const ref = refs[node];
      if (ref === undefined)
        throw new ModelFormatError('', `layout points at tensor ${node}, but there are only ${refs.length}`);
      return triple(ref);
    }
    if (Array.isArray(node)) return node.map(visit);
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(node)) out[key] = visit(item);
    return out;
  };
  return visit(layout);
}

function countLeaves(layout: TensorLayout): number {
  if (typeof layout === 'number') return 1;
  const items = Array.isArray(layout) ? layout : Object.values(layout);
  return items.reduce((sum: number, item) => sum + countLeaves(item), 0);
}
