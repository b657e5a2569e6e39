/**
 * `plotModel` and `plotHistory` (Keras `keras.utils.plot_model`, and the loss curves people
 * draw from `History`): SVG pictures written atomically. The drawing itself lives in
 * `@strata/graph` (pure TypeScript), so `strata plot-model` draws files the same way.
 *
 * @packageDocumentation
 */
import {
  analyzeModelShapes,
  writeHistoryPlot,
  writeModelPlot,
  type HistoryData,
  type HistoryPlotOptions,
  type ModelIR,
  type ModelPlotOptions,
  type Shape,
} from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import { modelToIR } from '../saving/model-to-ir.js';

export type { ModelPlotOptions, HistoryPlotOptions, HistoryData } from '@strata/graph';

/**
 * Output shapes for the plot: graph's shape rules over the IR, completed with the shapes the
 * runtime recorded for top-level layers no rule covers (custom layers).
 */
function plotShapes(model: Functional, ir: ModelIR): Map<string, Shape[][]> {
  let shapes = new Map<string, Shape[][]>();
  try {
    shapes = analyzeModelShapes(ir).shapes;
  } catch {
    // A graph the rules cannot walk still gets the runtime's shapes below.
  }
  for (const layer of model.layers) {
    const calls = ir.layers.find((l) => l.name === layer.name)?.nodes.length ?? 0;
    if (shapes.has(layer.name) || layer.inboundNodes.length === 0) continue;
    const recorded = layer.inboundNodes
      .slice(0, Math.max(1, calls))
      .map((node) => node.outputs.map((t): Shape => [...t.shape]));
    shapes.set(layer.name, recorded);
  }
  return shapes;
}

/**
 * Draws `model` as an SVG layered graph and writes it to `path` (Keras
 * `plot_model(model, to_file, show_shapes=True)`): one box per layer with its name, class and
 * output shapes, arrows for connections, top to bottom. Sequential and functional models,
 * several inputs and outputs; a nested model is one box, or a frame around its layers with
 * `{ expandNested: true }`.
 *
 * ```ts
 * await plotModel(model, 'model.svg', { rankdir: 'LR' });
 * ```
 *
 * @throws ModelLoadError when a layer's class is not registered (as when saving)
 * @throws ModelFileError naming `path` when it cannot be written
 */
export async function plotModel(model: Functional, path: string, options: ModelPlotOptions = {}): Promise<void> {
  const ir = modelToIR(model);
  const shapes = options.shapes ?? (options.showShapes === false ? undefined : plotShapes(model, ir));
  await writeModelPlot(ir, path, shapes === undefined ? options : { ...options, shapes });
}

/**
 * Draws a training history (what `fit` returns) as SVG and writes it to `path`: one panel per
 * metric, loss first, the training values (solid) and the `val_` values (dashed) per epoch.
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 10, validationSplit: 0.2 });
 * await plotHistory(history, 'history.svg');
 * ```
 *
 * @throws ModelFileError naming `path` when it cannot be written
 */
export async function plotHistory(history: HistoryData, path: string, options: HistoryPlotOptions = {}): Promise<void> {
  await writeHistoryPlot(history, path, options);
}
