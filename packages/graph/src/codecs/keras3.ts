import type { CallNode, JsonObject, JsonValue, ModelIR, Shape, TensorRef } from '../ir.js';
import { decodeModelObject, encodeModelObject, type NodeFormat } from './common.js';
import { ModelFormatError } from './errors.js';
import { describe, dot, expectArray, expectIndex, expectObject, expectString, isJsonObject } from './json.js';

const KERAS_TENSOR = '__keras_tensor__';

/** Whether a JSON value is a serialized Keras 3 `KerasTensor`. */
export function isKerasTensorJson(value: JsonValue | undefined): value is JsonObject {
  return isJsonObject(value) && value['class_name'] === KERAS_TENSOR;
}

/** Reads a `__keras_tensor__` into a reference (keeping its recorded shape and dtype). */
export function decodeKerasTensor(value: JsonValue | undefined, where: string): TensorRef {
  if (!isKerasTensorJson(value)) {
    throw new ModelFormatError(where, `expected a {"class_name": "${KERAS_TENSOR}", …} tensor, got ${describe(value)}`);
  }
  const config = expectObject(value['config'], `${dot(where)}config`);
  const history = expectArray(config['keras_history'], `${dot(where)}config.keras_history`);
  if (history.length !== 3) {
    throw new ModelFormatError(
      `${dot(where)}config.keras_history`,
      `expected [layer_name, node_index, tensor_index], got ${describe(history)}`,
    );
  }
  const ref: TensorRef = {
    layer: expectString(history[0], `${dot(where)}config.keras_history[0]`),
    node: expectIndex(history[1], `${dot(where)}config.keras_history[1]`),
    index: expectIndex(history[2], `${dot(where)}config.keras_history[2]`),
  };
  const shape = config['shape'];
  if (shape !== undefined) ref.shape = decodeShape(shape, `${dot(where)}config.shape`);
  const dtype = config['dtype'];
  if (typeof dtype === 'string') ref.dtype = dtype;
  return ref;
}

function decodeShape(value: JsonValue, where: string): Shape {
  const dims = expectArray(value, where);
  return dims.map((dim, i) => {
    if (dim === null || (typeof dim === 'number' && Number.isInteger(dim))) return dim;
    throw new ModelFormatError(`${where}[${i}]`, `expected an integer or null, got ${describe(dim)}`);
  });
}

/** Writes a reference as a `__keras_tensor__`. */
export function encodeKerasTensor(ref: TensorRef): JsonObject {
  const config: JsonObject = {};
  if (ref.shape !== undefined) config['shape'] = [...ref.shape];
  if (ref.dtype !== undefined) config['dtype'] = ref.dtype;
  config['keras_history'] = [ref.layer, ref.node, ref.index];
  return { class_name: KERAS_TENSOR, config };
}

function decodeNode(value: JsonValue, where: string): CallNode {
  const node = expectObject(value, where);
  const args = expectArray(node['args'], `${dot(where)}args`);
  const first = args[0];
  let call: CallNode;
  if (args.length === 1 && Array.isArray(first) && first.length > 0 && first.every(isKerasTensorJson)) {
    call = {
      inputs: first.map((item, i) => decodeKerasTensor(item, `${dot(where)}args[0][${i}]`)),
      inputsAsList: true,
    };
  } else if (args.every(isKerasTensorJson)) {
    call = { inputs: args.map((item, i) => decodeKerasTensor(item, `${dot(where)}args[${i}]`)) };
  } else {
    // Constants or deeper nesting (Keras 3 ops such as `x * 2`): keep the arguments verbatim.
    call = { inputs: tensorsIn(args, `${dot(where)}args`), args };
  }
  if ('kwargs' in node) call.kwargs = expectObject(node['kwargs'], `${dot(where)}kwargs`);
  return call;
}

/** The `__keras_tensor__` entries of a JSON value, depth-first. */
function tensorsIn(value: JsonValue, where: string): TensorRef[] {
  if (isKerasTensorJson(value)) return [decodeKerasTensor(value, where)];
  if (Array.isArray(value)) return value.flatMap((item, i) => tensorsIn(item, `${where}[${i}]`));
  if (isJsonObject(value)) return Object.entries(value).flatMap(([key, item]) => tensorsIn(item, `${where}.${key}`));
  return [];
}

/** Writes `inputs` into the `__keras_tensor__` slots of verbatim `args`, in depth-first order. */
function fillTensors(args: JsonValue[], inputs: readonly TensorRef[]): JsonValue[] {
  let next = 0;
  const fill = (value: JsonValue): JsonValue => {
    if (isKerasTensorJson(value)) {
      const ref = inputs[next++];
      if (ref === undefined)
        throw new ModelFormatError('args', `has more tensors than the call's ${inputs.length} inputs`);
      return encodeKerasTensor(ref);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
    return value;
  };
  return args.map(fill);
}

/** Keras 3 `inbound_nodes`: `[{args: [...], kwargs: {...}}, …]`. */
export const keras3NodeFormat: NodeFormat = {
  fillKeras3Defaults: true,
  decode(value, where) {
    return expectArray(value, where).map((node, i) => decodeNode(node, `${where}[${i}]`));
  },
  encode(nodes) {
    return nodes.map((node) => {
      const tensors = node.inputs.map(encodeKerasTensor);
      const args =
        node.args !== undefined ? fillTensors(node.args, node.inputs) : node.inputsAsList ? [tensors] : tensors;
      return { args, kwargs: node.kwargs ?? {} };
    });
  },
};

/**
 * Decodes a Keras 3 `config.json` (the `config.json` member of a `.keras` file, or
 * `model.to_json()`): a `Sequential` or functional model, nested models included.
 *
 * @throws ModelFormatError when the document is not a valid Keras 3 model config.
 */
export function decodeKeras3Config(json: JsonObject): ModelIR {
  return decodeModelObject(json, '', keras3NodeFormat);
}

/** Encodes a model as a Keras 3 `config.json` object; the inverse of {@link decodeKeras3Config}. */
export function encodeKeras3Config(ir: ModelIR): JsonObject {
  return encodeModelObject(ir, keras3NodeFormat);
}
