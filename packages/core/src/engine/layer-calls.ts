/**
 * How a layer is called: eagerly on `tf.Tensor`s (checked, built if needed, `call` run through
 * `layer.invoke`) or symbolically on `KerasTensor`s (built, output shapes inferred, and the call
 * recorded as a node of the graph a functional model is made of).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError } from '../utils/errors.js';
import { splitCallKwargs } from './call-kwargs.js';
import { KerasTensor } from './keras-tensor.js';
import type { Layer } from './layer.js';
import { isShapeList, type ApplyArgs, type CallContext } from './layer-types.js';
import type { TensorOrList } from './shape-utils.js';

/** Calls `layer` on concrete tensors; the outputs as a list. */
export function applyEager(
  layer: Layer,
  inputs: KerasTensor | KerasTensor[] | tf.Tensor | tf.Tensor[],
  args: ApplyArgs,
): tf.Tensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
    throw new ConfigurationError(
      `Layer "${layer.name}" (${layer.className}): inputs must be KerasTensors or tf.Tensors, not a mix or other values`,
    );
  }
  const initialState = args.initialState?.filter((s): s is tf.Tensor => s instanceof tf.Tensor);
  if (args.mask instanceof KerasTensor) {
    throw new ConfigurationError(
      `Layer "${layer.name}" (${layer.className}): a symbolic mask needs symbolic inputs; got concrete tensors`,
    );
  }
  const { plain, tensors } = splitCallKwargs(layer, args.kwargs);
  const context: CallContext = { training: args.training ?? false, mask: args.mask ?? null, initialState };
  if (Object.keys(plain).length > 0) context.kwargs = plain;
  if (tensors.length > 0) {
    if (!tensors.every(([, t]) => t instanceof tf.Tensor)) {
      throw new ConfigurationError(
        `Layer "${layer.name}" (${layer.className}): keyword tensors must be tf.Tensors when the inputs are`,
      );
    }
    context.tensorKwargs = Object.fromEntries(tensors) as Record<string, tf.Tensor>;
  }
  const out = layer.invoke(inputs as TensorOrList, context);
  return Array.isArray(out) ? out : [out];
}

/**
 * Calls `layer` on symbolic inputs whose shapes were already checked: builds it, infers the
 * output shapes and records the call node (inputs, masks, states, keyword tensors, plain kwargs).
 *
 * @param outputDtype - the dtype of the outputs, asked for once the layer is built
 */
export function applySymbolic(
  layer: Layer,
  inputs: KerasTensor | KerasTensor[],
  args: ApplyArgs,
  outputDtype: () => string,
): KerasTensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const shapes = list.map((t) => t.shape);
  const shapeArg = Array.isArray(inputs) ? shapes : shapes[0]!;
  const { plain, tensors } = splitCallKwargs(layer, args.kwargs);
  const kwargTensors = tensors.map(([name, t]) => {
    if (!(t instanceof KerasTensor)) {
      throw new ConfigurationError(
        `Layer "${layer.name}" (${layer.className}): keyword argument "${name}" must be a KerasTensor when the inputs are symbolic`,
      );
    }
    return t;
  });
  layer.maybeBuild(shapeArg);
  const outShape = layer.computeOutputShape(shapeArg, plain);
  const outShapes = isShapeList(outShape) ? outShape : [outShape];
  const nodeIndex = layer.inboundNodes.length;
  const outDtype = outputDtype();
  const outputs = outShapes.map((s, i) => new KerasTensor(s, outDtype, layer, nodeIndex, i));
  const kwargs: Record<string, unknown> = { ...plain };
  if (args.training !== undefined) kwargs['training'] = args.training;
  const symbolicStates = args.initialState?.filter((s): s is KerasTensor => s instanceof KerasTensor) ?? [];
  const mask = args.mask instanceof KerasTensor ? [args.mask] : [];
  layer.inboundNodes.push({
    layer,
    index: nodeIndex,
    inputs: [...list, ...mask, ...symbolicStates, ...kwargTensors],
    outputs,
    inputsAsList: Array.isArray(inputs),
    initialStateCount: symbolicStates.length,
    explicitMask: mask.length > 0,
    kwargs,
    tensorKwargNames: tensors.map(([name]) => name),
  });
  return outputs;
}
