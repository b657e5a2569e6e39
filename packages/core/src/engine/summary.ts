/**
 * `model.summary()`: Keras 3's table of layers, output shapes, parameter counts and,
 * for functional models, the layers each one is connected to.
 */
import type { Shape } from '@strata/graph';
import type { Functional } from './functional.js';
import { InputLayer } from './input-layer.js';
import { formatShape } from './shape-utils.js';

/** One row of the summary table. */
export interface SummaryRow {
  layer: string;
  outputShape: string;
  params: number;
  connectedTo?: string[];
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Keras's byte size rendering for float32 parameters: `136.04 KB`. */
export function formatBytes(params: number, bytesPerParam = 4): string {
  const bytes = params * bytesPerParam;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

function pad(text: string, width: number, alignRight = false): string {
  const visible = [...text].length;
  if (visible >= width) return text;
  const fill = ' '.repeat(width - visible);
  return alignRight ? fill + text : text + fill;
}

/** Renders rows as Keras 3's box table (shared by `model.summary()` and `strata summary`). */
export function renderSummaryTable(
  title: string,
  rows: SummaryRow[],
  totals: { total: number; trainable: number; nonTrainable: number },
): string {
  const functional = rows.some((r) => r.connectedTo !== undefined);
  const headers = functional ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const cells = rows.map((r) => {
    const base = [r.layer, r.outputShape, formatCount(r.params)];
    return functional ? [...base, (r.connectedTo ?? []).join(', ') || '-'] : base;
  });
  const minWidths = functional ? [25, 21, 9, 20] : [31, 22, 13];
  const widths = headers.map((h, i) => Math.max(minWidths[i]!, [...h].length, ...cells.map((c) => [...c[i]!].length)) + 2);
  const line = (left: string, mid: string, right: string, fill: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(mid) + right;
  const row = (values: string[], sep: string): string =>
    sep + values.map((v, i) => pad(` ${v} `, widths[i]!, i === 2)).join(sep) + sep;
  const out: string[] = [`Model: "${title}"`];
  out.push(line('┏', '┳', '┓', '━'));
  out.push(row(headers, '┃'));
  out.push(line('┡', '╇', '┩', '━'));
  cells.forEach((c, i) => {
    out.push(row(c, '│'));
    if (i < cells.length - 1) out.push(line('├', '┼', '┤', '─'));
  });
  out.push(line('└', '┴', '┘', '─'));
  out.push(` Total params: ${formatCount(totals.total)} (${formatBytes(totals.total)})`);
  out.push(` Trainable params: ${formatCount(totals.trainable)} (${formatBytes(totals.trainable)})`);
  out.push(` Non-trainable params: ${formatCount(totals.nonTrainable)} (${formatBytes(totals.nonTrainable)})`);
  return out.join('\n');
}

function shapeText(shapes: Shape[]): string {
  return shapes.length === 1 ? formatShape(shapes[0]!) : `[${shapes.map(formatShape).join(', ')}]`;
}

/** The summary of a model as text. Sequential models omit the InputLayer and the "Connected to" column. */
export function summarize(model: Functional, options: { sequential: boolean }): string {
  const rows: SummaryRow[] = [];
  for (const layer of model.layers) {
    if (options.sequential && layer instanceof InputLayer) continue;
    const nodes = layer.inboundNodes.filter((n) => model.executionNodes.includes(n) || (layer instanceof InputLayer && model.inputs.includes(n.outputs[0]!)));
    const outputs = nodes.flatMap((n) => n.outputs.map((t) => t.shape));
    const row: SummaryRow = {
      layer: `${layer.name} (${layer.className})`,
      outputShape: outputs.length > 0 ? shapeText(outputs) : '?',
      params: layer.built ? layer.countParams() : 0,
    };
    if (!options.sequential) {
      row.connectedTo = nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`));
    }
    rows.push(row);
  }
  const count = (ws: { shape: number[] }[]): number => ws.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  return renderSummaryTable(model.name, rows, { total: trainable + nonTrainable, trainable, nonTrainable });
}
