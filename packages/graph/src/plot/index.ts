/**
 * Pictures: a model as a layered SVG graph, training history as SVG line charts.
 *
 * @packageDocumentation
 */
export { escapeXml } from './svg-text.js';
export {
  buildModelPlotGraph,
  type ModelPlotGraph,
  type ModelPlotGraphOptions,
  type PlotNode,
  type PlotEdge,
  type PlotCluster,
} from './model-plot-graph.js';
export { renderModelPlot, writeModelPlot, type ModelPlotOptions } from './model-plot-svg.js';
export {
  historyPanels,
  renderHistoryPlot,
  writeHistoryPlot,
  type HistoryData,
  type HistoryPanel,
  type HistoryPlotOptions,
} from './history-svg.js';
