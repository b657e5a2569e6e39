import type { LayerIR, TensorRef } from '../ir.js';

/**
 * Gives the layers of a `Sequential` model call nodes forming a chain, so that the model
 * can be walked like a functional one. A leading `InputLayer` is the model input; without
 * one, the first layer gets a single call with no inputs (the model input is implicit).
 */
export function chainSequentialLayers(layers: LayerIR[]): { inputs: TensorRef[]; outputs: TensorRef[] } {
  const inputs: TensorRef[] = [];
  let previous: TensorRef | undefined;
  layers.forEach((layer, i) => {
    if (i === 0 && layer.className === 'InputLayer') {
      layer.nodes = [];
      previous = { layer: layer.name, node: 0, index: 0 };
      inputs.push(previous);
      return;
    }
    layer.nodes = [{ inputs: previous === undefined ? [] : [previous] }];
    previous = { layer: layer.name, node: 0, index: 0 };
  });
  return { inputs, outputs: previous === undefined ? [] : [previous] };
}
