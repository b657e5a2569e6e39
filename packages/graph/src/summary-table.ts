/**
 * Keras 3's `model.summary()` table, shared by the runtime (`model.summary()`) and the CLI
 * (`strata summary`, from the IR alone).
 */
import type { Shape } from './ir.js';
import { escapeTerminalText } from './safety/terminal-text.js';

/** `(None, 28, 28, 1)`, as Keras prints shapes (`(None,)` for rank 1). */
export function formatKerasShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** `34826` → `34,826`. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Keras's size of float32 parameters: `136.04 KB`. */
export function formatBytes(params: number, bytesPerParam = 4): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = params * bytesPerParam;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** One row of the table. */
export interface SummaryTableRow {
  /** `name (ClassName)`. */
  layer: string;
  /** Rendered output shape, e.g. `(None, 10)`. */
  outputShape: string;
  /** Rendered parameter count, e.g. `18,496` or `0 (unbuilt)`. */
  params: string;
  /** Inbound tensors as `layer[node][tensor]`, one per line (functional models). */
  connectedTo?: string[];
}

/** What {@link renderSummaryTable} draws. */
export interface SummaryTable {
  title: string;
  rows: SummaryTableRow[];
  /** Whether to draw the "Connected to" column (functional models that are not plain chains). */
  connections: boolean;
  trainable: number;
  nonTrainable: number;
  /** Appended to the "Total params" line (e.g. layers of unknown size). */
  totalNote?: string;
}

/**
 * Renders the box table and the three totals lines, as Keras 3 prints them. Names are shown
 * with terminal control characters escaped (they may come from a model file).
 */
export function renderSummaryTable(table: SummaryTable): string[] {
  const headers = ['Layer (type)', 'Output Shape', 'Param #', ...(table.connections ? ['Connected to'] : [])];
  const minimum = table.connections ? [25, 21, 9, 20] : [31, 22, 13];
  const body = table.rows.map((row) =>
    [
      [row.layer],
      [row.outputShape],
      [row.params],
      ...(table.connections
        ? [row.connectedTo !== undefined && row.connectedTo.length > 0 ? row.connectedTo : ['-']]
        : []),
    ].map((cell) => cell.map(escapeTerminalText)),
  );
  const width = (text: string): number => [...text].length;
  const widths = headers.map((header, column) =>
    Math.max(minimum[column]!, width(header), ...body.map((cells) => Math.max(...cells[column]!.map(width)))),
  );
  const align = (text: string, column: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[column]! - width(text)));
    return column === 2 ? fill + text : text + fill;
  };
  const rule = (left: string, fill: string, join: string, right: string): string =>
    `${left}${widths.map((w) => fill.repeat(w + 2)).join(join)}${right}`;
  const lines = [
    `Model: "${escapeTerminalText(table.title)}"`,
    rule('┏', '━', '┳', '┓'),
    `┃ ${headers.map(align).join(' ┃ ')} ┃`,
    rule('┡', '━', '╇', '┩'),
  ];
  body.forEach((cells, index) => {
    const height = Math.max(...cells.map((cell) => cell.length));
    for (let line = 0; line < height; line++)
      lines.push(`│ ${cells.map((cell, column) => align(cell[line] ?? '', column)).join(' │ ')} │`);
    if (index < body.length - 1) lines.push(rule('├', '─', '┼', '┤'));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  const total = table.trainable + table.nonTrainable;
  lines.push(
    ` Total params: ${formatCount(total)} (${formatBytes(total)})${escapeTerminalText(table.totalNote ?? '')}`,
  );
  lines.push(` Trainable params: ${formatCount(table.trainable)} (${formatBytes(table.trainable)})`);
  lines.push(` Non-trainable params: ${formatCount(table.nonTrainable)} (${formatBytes(table.nonTrainable)})`);
  return lines;
}
