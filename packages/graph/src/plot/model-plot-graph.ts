/**
 * The drawable graph of a model: one node per layer, one edge per distinct producer → consumer
 * pair, and (when nested models are expanded) one cluster per nested model. Pure IR walking:
 * layout and drawing are in `model-plot-svg.ts`.
 *
 * @packageDocumentation
 */
import type { LayerIR, ModelIR, Shape, TensorRef } from '../ir.js';
import { formatKerasShape } from '../summary-table.js';
import { callInputs, layerByName } from '../walk.js';

/** A box of the plot: one layer (or one collapsed nested model). */
export interface PlotNode {
  /** Unique id in the plot (`L:` + the layer's path as a JSON list). */
  id: string;
  /** The layer's name. */
  name: string;
  /** The layer's path from the root model, `outer/inner` for layers of expanded nested models. */
  path: string;
  /** Keras class name. */
  className: string;
  /** Output shapes, one formatted entry per call (`(None, 10)`, or `[(None, 4), (None, 2)]`); `?` when unknown. */
  outputShapes: string[];
  /** Id of the enclosing cluster, when the layer belongs to an expanded nested model. */
  cluster?: string;
}

/** A connection: some output of `from` is an input of `to` (drawn once per pair). */
export interface PlotEdge {
  from: string;
  to: string;
}

/** An expanded nested model, drawn as a frame around its layers. */
export interface PlotCluster {
  /** Unique id in the plot (`C:` + the nested model layer's path as a JSON list). */
  id: string;
  /** The nested model layer's name. */
  name: string;
  /** Its class (`Sequential`, `Functional`, …). */
  className: string;
  /** Id of the enclosing cluster, if nested more than one level deep. */
  parent?: string;
}

/** Everything {@link buildModelPlotGraph} finds. */
export interface ModelPlotGraph {
  nodes: PlotNode[];
  edges: PlotEdge[];
  clusters: PlotCluster[];
}

/** Options of {@link buildModelPlotGraph}. */
export interface ModelPlotGraphOptions {
  /** Draw the layers of nested models inside a frame (Keras `expand_nested=True`); default: one box per nested model. */
  expandNested?: boolean;
  /** Output shapes by layer path (from `analyzeModelShapes`); missing entries show as `?`. */
  shapes?: ReadonlyMap<string, Shape[][]>;
}

// Ids encode the path as a list: a file's layer named `a/b` must not meet layer `b` of nested model `a`.
const nodeId = (path: string, ids: readonly string[]): string => `L:${JSON.stringify([...ids, path])}`;
const clusterId = (path: string, ids: readonly string[]): string => `C:${JSON.stringify([...ids, path])}`;

function formatCall(outputs: readonly Shape[] | undefined): string {
  if (outputs === undefined || outputs.length === 0) return '?';
  if (outputs.length === 1) return formatKerasShape(outputs[0]!);
  return `[${outputs.map(formatKerasShape).join(', ')}]`;
}

/**
 * Builds the plot graph of `model`. Edges that reference a missing layer are left out (the
 * plot shows what the file holds; `strata lint` reports broken references).
 */
export function buildModelPlotGraph(model: ModelIR, options: ModelPlotGraphOptions = {}): ModelPlotGraph {
  const expand = options.expandNested === true;
  const graph: ModelPlotGraph = { nodes: [], edges: [], clusters: [] };
  const edgeKeys = new Set<string>();
  const expanded = (layer: LayerIR | undefined): layer is LayerIR & { model: ModelIR } =>
    expand && layer?.model !== undefined;

  /** The box that produces output `ref` of `inner`'s scope, following expanded nested models down. */
  const exitOf = (scope: ModelIR, ids: readonly string[], ref: TensorRef): string | undefined => {
    const producer = layerByName(scope, ref.layer);
    if (producer === undefined) return undefined;
    if (!expanded(producer)) return nodeId(producer.name, ids);
    const inner = producer.model;
    const output = inner.outputs[ref.index] ?? inner.outputs[inner.outputs.length - 1];
    if (output !== undefined) return exitOf(inner, [...ids, producer.name], output);
    const last = inner.layers[inner.layers.length - 1];
    return last === undefined
      ? undefined
      : exitOf(inner, [...ids, producer.name], { layer: last.name, node: 0, index: 0 });
  };

  /** The box that receives input `position` of a call of `layer`, following expanded nested models down. */
  const entryOf = (layer: LayerIR, ids: readonly string[], position: number): string | undefined => {
    if (!expanded(layer)) return nodeId(layer.name, ids);
    const inner = layer.model;
    const innerIds = [...ids, layer.name];
    const input = inner.inputs[Math.min(position, inner.inputs.length - 1)];
    // A Sequential without an input layer starts at its first layer.
    const target =
      input !== undefined
        ? layerByName(inner, input.layer)
        : inner.layers.find((l) => l.nodes.every((call) => call.inputs.length === 0));
    return target === undefined ? undefined : entryOf(target, innerIds, 0);
  };

  const addEdge = (from: string | undefined, to: string | undefined): void => {
    if (from === undefined || to === undefined || from === to) return;
    const key = `${from}\u0000${to}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    graph.edges.push({ from, to });
  };

  const visit = (scope: ModelIR, ids: readonly string[], cluster: string | undefined): void => {
    const names = new Set(scope.layers.map((l) => l.name));
    for (const layer of scope.layers) {
      const path = [...ids, layer.name].join('/');
      if (expanded(layer)) {
        const id = clusterId(layer.name, ids);
        graph.clusters.push({
          id,
          name: layer.name,
          className: layer.model.className,
          ...(cluster === undefined ? {} : { parent: cluster }),
        });
        visit(layer.model, [...ids, layer.name], id);
      } else {
        const perCall = options.shapes?.get(path) ?? [];
        const calls = Math.max(1, layer.nodes.length, perCall.length);
        const shapes = [...new Set(Array.from({ length: calls }, (_, i) => formatCall(perCall[i])))];
        graph.nodes.push({
          id: nodeId(layer.name, ids),
          name: layer.name,
          path,
          className: layer.className,
          outputShapes: shapes,
          ...(cluster === undefined ? {} : { cluster }),
        });
      }
      for (const call of layer.nodes) {
        callInputs(call, names).forEach(({ ref, kwarg }, position) => {
          addEdge(exitOf(scope, ids, ref), entryOf(layer, ids, kwarg === undefined ? position : 0));
        });
      }
    }
  };
  visit(model, [], undefined);
  return graph;
}
