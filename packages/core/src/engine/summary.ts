/**
 * `model.summary()`: Keras 3's table of layers, output shapes, parameter counts and,
 * for functional models, the layers each one is connected to.
 */
import { formatCount, renderSummaryTable, type Shape, type SummaryTableRow } from '@strata/graph';
import type { Functional } from './functional.js';
import { InputLayer } from './input-layer.js';
import { formatShape } from './shape-utils.js';

function shapeText(shapes: Shape[]): string {
  return shapes.length === 1 ? formatShape(shapes[0]!) : `[${shapes.map(formatShape).join(', ')}]`;
}

/**
 * Keras's `sequential_like` test: every node has one input tensor, no two nodes sit at the same
 * depth, and no layer is called twice — then "Connected to" carries no information.
 */
function isSequentialLike(model: Functional): boolean {
  const nodes = model.executionNodes;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return false;
  if (nodes.some((n) => n.inputs.length !== 1)) return false;
  const layers = nodes.map((n) => n.layer);
  if (new Set(layers).size !== layers.length) return false;
  // A chain: each node consumes the previous node's output.
  return nodes.every((n, i) => i === 0 || n.inputs[0]!.sourceLayer === nodes[i - 1]!.layer);
}

/** The summary of a model as text. Sequential models omit the InputLayer row; chains omit "Connected to". */
export function summarize(model: Functional, options: { sequential: boolean }): string {
  const rows: SummaryTableRow[] = [];
  const withConnections = !options.sequential && !isSequentialLike(model);
  for (const layer of model.layers) {
    if (options.sequential && layer instanceof InputLayer) continue;
    const nodes = layer.inboundNodes.filter(
      (n) => model.executionNodes.includes(n) || (layer instanceof InputLayer && model.inputs.includes(n.outputs[0]!)),
    );
    // As Keras's format_layer_shape: a layer called several times shows its last call's output.
    const last = nodes[nodes.length - 1];
    const outputs = last === undefined ? [] : last.outputs.map((t) => t.shape);
    const row: SummaryTableRow = {
      layer: `${layer.name} (${layer.className})`,
      outputShape: outputs.length > 0 ? shapeText(outputs) : '?',
      params: layer.built ? formatCount(layer.countParams()) : '0 (unbuilt)',
    };
    if (withConnections) {
      // Keras joins all inbound tensors of all calls with ", " in one cell.
      const links = nodes.flatMap((n) =>
        n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`),
      );
      row.connectedTo = links.length > 0 ? [links.join(', ')] : [];
    }
    rows.push(row);
  }
  const count = (ws: { shape: number[] }[]): number => ws.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  return renderSummaryTable({ title: model.name, rows, connections: withConnections, trainable, nonTrainable }).join(
    '\n',
  );
}
