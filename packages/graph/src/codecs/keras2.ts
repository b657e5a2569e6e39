import type { CallNode, JsonObject, JsonValue, ModelIR, TensorRef } from '../ir.js';
import { decodeModelObject, encodeModelObject, type NodeFormat } from './common.js';
import { ModelFormatError } from './errors.js';
import { describe, expectArray, expectIndex, expectObject, expectString } from './json.js';

function decodeNode(value: JsonValue, where: string): CallNode {
  const entries = expectArray(value, where);
  const call: CallNode = { inputs: [] };
  entries.forEach((entry, i) => {
    const at = `${where}[${i}]`;
    const parts = expectArray(entry, at);
    if (parts.length !== 3 && parts.length !== 4) {
      throw new ModelFormatError(at, `expected [layer_name, node_index, tensor_index, kwargs], got ${describe(entry)}`);
    }
    const ref: TensorRef = {
      layer: expectString(parts[0], `${at}[0]`),
      node: expectIndex(parts[1], `${at}[1]`),
      index: expectIndex(parts[2], `${at}[2]`),
    };
    call.inputs.push(ref);
    // Keras 2 repeats the call's kwargs in every entry; the first one stands for all.
    if (i === 0 && parts.length === 4) call.kwargs = expectObject(parts[3], `${at}[3]`);
  });
  if (entries.length > 1) call.inputsAsList = true;
  return call;
}

/** Keras 2 / TF.js `inbound_nodes`: `[[ [layer, node, tensor, kwargs], … ], …]`. */
export const keras2NodeFormat: NodeFormat = {
  fillKeras3Defaults: false,
  decode(value, where) {
    return expectArray(value, where).map((node, i) => decodeNode(node, `${where}[${i}]`));
  },
  encode(nodes) {
    return nodes.map((node) =>
      node.inputs.map((ref): JsonValue =>
        node.kwargs === undefined ? [ref.layer, ref.node, ref.index] : [ref.layer, ref.node, ref.index, node.kwargs],
      ),
    );
  },
};

/**
 * Decodes a Keras 2 `model.to_json()` document (or the `model_config` of a legacy `.h5`):
 * `Sequential` (config as a list or as `{name, layers}`) or functional (`Model` / `Functional`).
 *
 * @throws ModelFormatError when the document is not a valid Keras 2 model config.
 */
export function decodeKeras2Json(json: JsonObject): ModelIR {
  return decodeModelObject(json, '', keras2NodeFormat);
}

/** Encodes a model as a Keras 2 `to_json()` object; the inverse of {@link decodeKeras2Json}. */
export function encodeKeras2Json(ir: ModelIR): JsonObject {
  return encodeModelObject(ir, keras2NodeFormat);
}
