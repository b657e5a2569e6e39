/**
 * Training history as SVG line charts: one panel per metric (loss first), the training
 * series and its `val_` counterpart drawn together, per epoch. Hand-drawn axes, ticks and
 * polylines; no charting library.
 *
 * @packageDocumentation
 */
import { writeFileAtomic } from '../files/atomic-write.js';
import { coord, escapeXml, FONT_FAMILY, truncateText } from './svg-text.js';

/** What a `fit` returns (Keras `History`): values per log name, and the epoch indices. */
export interface HistoryData {
  /** Values by log name (`loss`, `val_loss`, `accuracy`, …), one per epoch. */
  history: Readonly<Record<string, readonly number[]>>;
  /** Epoch indices (0-based, as Keras's `History.epoch`); default `0, 1, …`. */
  epoch?: readonly number[];
}

/** One panel: a metric with its training and validation series. */
export interface HistoryPanel {
  /** Metric name without the `val_` prefix. */
  metric: string;
  /** Values logged under `metric`, if any. */
  train?: readonly number[];
  /** Values logged under `val_<metric>`, if any. */
  validation?: readonly number[];
}

/** Options of {@link renderHistoryPlot}. */
export interface HistoryPlotOptions {
  /** Panels per row (default: up to 3). */
  columns?: number;
  /** Size of one panel in pixels (default 360 × 240). */
  panelWidth?: number;
  panelHeight?: number;
}

/** Groups log names into panels: `x` and `val_x` together, `loss` first, then first-seen order. */
export function historyPanels(data: HistoryData): HistoryPanel[] {
  const panels = new Map<string, HistoryPanel>();
  for (const [key, values] of Object.entries(data.history)) {
    const validation = key.startsWith('val_');
    const metric = validation ? key.slice(4) : key;
    const panel = panels.get(metric) ?? { metric };
    if (validation) panel.validation = values;
    else panel.train = values;
    panels.set(metric, panel);
  }
  const list = [...panels.values()];
  return [...list.filter((p) => p.metric === 'loss'), ...list.filter((p) => p.metric !== 'loss')];
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Tick values covering [min, max], and the widened range they span. */
function ticks(min: number, max: number, count: number): { values: number[]; low: number; high: number } {
  if (min === max) [min, max] = min === 0 ? [-1, 1] : [min - Math.abs(min) * 0.1, max + Math.abs(max) * 0.1];
  const step = niceStep(max - min, count);
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let i = 0; low + i * step <= high + step * 1e-9; i++) values.push(Number((low + i * step).toPrecision(12)));
  return { values, low, high };
}

const label = (value: number): string =>
  Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(1)
    : String(Number(value.toPrecision(4)));

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  x: (epoch: number) => number;
  y: (value: number) => number;
}

function drawSeries(
  values: readonly number[],
  epochs: readonly number[],
  frame: Frame,
  kind: 'train' | 'validation',
): string[] {
  const parts: string[] = [];
  let segment: string[] = [];
  const flush = (): void => {
    if (segment.length > 1) parts.push(`<polyline class="series ${kind}" points="${segment.join(' ')}"/>`);
    segment = [];
  };
  values.forEach((value, i) => {
    // NaN / ±Infinity (a diverged run) break the line instead of bending the axis.
    if (!Number.isFinite(value)) return flush();
    const [x, y] = [frame.x(epochs[i] ?? i), frame.y(value)];
    segment.push(`${coord(x)},${coord(y)}`);
    parts.push(
      `<circle class="point ${kind}" cx="${coord(x)}" cy="${coord(y)}" r="2.5" data-epoch="${epochs[i] ?? i}" data-value="${value}"/>`,
    );
  });
  flush();
  return parts;
}

function drawPanel(
  panel: HistoryPanel,
  epochs: readonly number[],
  left: number,
  top: number,
  width: number,
  height: number,
): string {
  const frame = { left: left + 58, top: top + 30, width: width - 74, height: height - 66 };
  const series = [panel.train ?? [], panel.validation ?? []];
  const finite = series.flat().filter(Number.isFinite);
  const y = ticks(finite.length ? Math.min(...finite) : 0, finite.length ? Math.max(...finite) : 1, 4);
  const count = Math.max(...series.map((s) => s.length), 1);
  const shown = epochs.slice(0, count).map((e) => e + 1);
  const [first, last] = shown.length > 0 ? [Math.min(...shown), Math.max(...shown)] : [1, 1];
  const xScale = (epoch: number): number =>
    frame.left + (last === first ? frame.width / 2 : ((epoch + 1 - first) / (last - first)) * frame.width);
  const yScale = (value: number): number =>
    frame.top + frame.height - ((value - y.low) / (y.high - y.low)) * frame.height;
  const parts = [
    `<g class="panel" data-metric="${escapeXml(panel.metric)}">`,
    `<text class="panel-title" x="${coord(left + width / 2)}" y="${coord(top + 18)}">${escapeXml(truncateText(panel.metric, 40))}</text>`,
    `<rect class="plot-area" x="${coord(frame.left)}" y="${coord(frame.top)}" width="${coord(frame.width)}" height="${coord(frame.height)}"/>`,
  ];
  for (const value of y.values) {
    const at = yScale(value);
    parts.push(
      `<line class="grid" x1="${coord(frame.left)}" x2="${coord(frame.left + frame.width)}" y1="${coord(at)}" y2="${coord(at)}"/>`,
    );
    parts.push(
      `<text class="tick y" x="${coord(frame.left - 6)}" y="${coord(at + 4)}">${escapeXml(label(value))}</text>`,
    );
  }
  const xStep = Math.max(1, Math.ceil(niceStep(Math.max(last - first, 1), 6)));
  for (let epoch = first; epoch <= last; epoch += xStep) {
    const at = xScale(epoch - 1);
    parts.push(
      `<line class="tick" x1="${coord(at)}" x2="${coord(at)}" y1="${coord(frame.top + frame.height)}" y2="${coord(frame.top + frame.height + 4)}"/>`,
    );
    parts.push(`<text class="tick x" x="${coord(at)}" y="${coord(frame.top + frame.height + 16)}">${epoch}</text>`);
  }
  parts.push(
    `<text class="axis-label" x="${coord(frame.left + frame.width / 2)}" y="${coord(top + height - 6)}">epoch</text>`,
  );
  if (panel.train) parts.push(...drawSeries(panel.train, epochs, { ...frame, x: xScale, y: yScale }, 'train'));
  if (panel.validation)
    parts.push(...drawSeries(panel.validation, epochs, { ...frame, x: xScale, y: yScale }, 'validation'));
  const legend = [
    panel.train ? ['train', 'train'] : undefined,
    panel.validation ? ['validation', 'validation'] : undefined,
  ].filter((l) => l !== undefined);
  legend.forEach(([kind, text], i) => {
    const lx = frame.left + frame.width - 96;
    const ly = frame.top + 12 + i * 14;
    parts.push(
      `<line class="legend ${kind}" x1="${coord(lx)}" x2="${coord(lx + 18)}" y1="${coord(ly - 4)}" y2="${coord(ly - 4)}"/><text class="legend-label" x="${coord(lx + 22)}" y="${coord(ly)}">${text}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

const STYLE = [
  `text{font-family:${FONT_FAMILY};font-size:11px;fill:#1f2328}`,
  '.panel-title{font-size:13px;font-weight:bold;text-anchor:middle}',
  '.tick.y{text-anchor:end}.tick.x,.axis-label{text-anchor:middle}',
  '.plot-area{fill:#fff;stroke:#57606a}.grid{stroke:#d0d7de;stroke-width:.8}line.tick{stroke:#57606a}',
  '.train{stroke:#0969da;fill:#0969da}.validation{stroke:#cf222e;fill:#cf222e}polyline.series{fill:none;stroke-width:1.8}',
  '.series.validation,line.legend.validation{stroke-dasharray:5 3}line.legend{stroke-width:2}',
].join('');

/**
 * Renders a training history as a standalone SVG: a grid of panels, one per metric, each
 * with its training series (solid) and validation series (dashed) per epoch. Non-finite values
 * are left out and break the line. Metric names are XML-escaped.
 */
export function renderHistoryPlot(data: HistoryData, options: HistoryPlotOptions = {}): string {
  const panels = historyPanels(data);
  const length = Math.max(0, ...Object.values(data.history).map((v) => v.length));
  const epochs =
    data.epoch !== undefined && data.epoch.length >= length ? data.epoch : Array.from({ length }, (_, i) => i);
  const columns = Math.max(1, Math.min(options.columns ?? 3, panels.length || 1));
  const [panelWidth, panelHeight] = [options.panelWidth ?? 360, options.panelHeight ?? 240];
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const [width, height] = [columns * panelWidth, rows * panelHeight];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${STYLE}</style>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels.map((panel, i) =>
      drawPanel(
        panel,
        epochs,
        (i % columns) * panelWidth,
        Math.floor(i / columns) * panelHeight,
        panelWidth,
        panelHeight,
      ),
    ),
    '</svg>',
    '',
  ];
  return parts.join('\n');
}

/**
 * Renders a history (see {@link renderHistoryPlot}) and writes the SVG to `path` atomically.
 *
 * @throws ModelFileError naming `path` when it cannot be written
 */
export async function writeHistoryPlot(
  data: HistoryData,
  path: string,
  options: HistoryPlotOptions = {},
): Promise<void> {
  await writeFileAtomic(path, renderHistoryPlot(data, options));
}
