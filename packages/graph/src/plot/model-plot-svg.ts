/**
 * A model drawn as an SVG layered graph (Keras's `plot_model(show_shapes=True)`): boxes with
 * the layer's name, class and output shapes, laid out by dagre (a Sugiyama-style layered
 * layout), nested models as one box or, expanded, as a frame around their layers.
 *
 * @packageDocumentation
 */
import dagre, { type EdgeLabel, type Graph, type GraphLabel, type NodeLabel, type Point } from '@dagrejs/dagre';
import type { ModelIR, Shape } from '../ir.js';
import { analyzeModelShapes } from '../shapes/model.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { buildModelPlotGraph, type ModelPlotGraph, type PlotNode } from './model-plot-graph.js';
import { coord, escapeXml, FONT_FAMILY, textWidth, truncateText } from './svg-text.js';

/** Options of {@link renderModelPlot} and {@link writeModelPlot}. */
export interface ModelPlotOptions {
  /** Show each layer's output shapes (Keras `show_shapes`); default true. */
  showShapes?: boolean;
  /** Show each layer's class (Keras shows it beside the name); default true. */
  showClassNames?: boolean;
  /**
   * Draw the layers of nested models inside a frame (Keras `expand_nested=True`). Default
   * false: a nested model is one box with its class and output shapes, as in Keras.
   */
  expandNested?: boolean;
  /** `'TB'` top to bottom (default, as Keras) or `'LR'` left to right (Keras `rankdir`). */
  rankdir?: 'TB' | 'LR';
  /** Output shapes by layer path; default: inferred from the IR with `analyzeModelShapes`. */
  shapes?: ReadonlyMap<string, Shape[][]>;
  /** A title above the graph; default the model's name and class, `false` for none. */
  title?: string | false;
}

const FONT_SIZE = 12;
const LINE_HEIGHT = 16;
const PADDING_X = 12;
const PADDING_Y = 8;
const MAX_LABEL_CHARS = 48;
const TITLE_HEIGHT = 28;

interface Box {
  node: PlotNode;
  lines: { text: string; kind: 'name' | 'class' | 'shape' }[];
  width: number;
  height: number;
}

function boxOf(node: PlotNode, options: ModelPlotOptions): Box {
  const lines: Box['lines'] = [{ text: truncateText(node.name, MAX_LABEL_CHARS), kind: 'name' }];
  if (options.showClassNames !== false)
    lines.push({ text: truncateText(node.className, MAX_LABEL_CHARS), kind: 'class' });
  if (options.showShapes !== false)
    for (const shape of node.outputShapes) lines.push({ text: truncateText(shape, MAX_LABEL_CHARS), kind: 'shape' });
  const width = Math.max(80, ...lines.map((line) => textWidth(line.text, FONT_SIZE))) + 2 * PADDING_X;
  return { node, lines, width, height: lines.length * LINE_HEIGHT + 2 * PADDING_Y };
}

function shapesOf(model: ModelIR, options: ModelPlotOptions): ReadonlyMap<string, Shape[][]> | undefined {
  if (options.shapes !== undefined || options.showShapes === false) return options.shapes;
  try {
    return analyzeModelShapes(model).shapes;
  } catch {
    // A graph too broken for shape inference is still drawn, with `?` shapes.
    return undefined;
  }
}

interface Laid {
  graph: ModelPlotGraph;
  boxes: Map<string, Box>;
  layout: Graph<GraphLabel, NodeLabel, EdgeLabel>;
}

function layOut(model: ModelIR, options: ModelPlotOptions): Laid {
  const shapes = shapesOf(model, options);
  const graph = buildModelPlotGraph(model, {
    expandNested: options.expandNested === true,
    ...(shapes === undefined ? {} : { shapes }),
  });
  const layout = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: graph.clusters.length > 0 });
  layout.setGraph({ rankdir: options.rankdir ?? 'TB', nodesep: 28, ranksep: 40, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<string, Box>();
  for (const node of graph.nodes) {
    const box = boxOf(node, options);
    boxes.set(node.id, box);
    layout.setNode(node.id, { width: box.width, height: box.height });
  }
  for (const cluster of graph.clusters) layout.setNode(cluster.id, { paddingTop: LINE_HEIGHT });
  for (const cluster of graph.clusters) if (cluster.parent !== undefined) layout.setParent(cluster.id, cluster.parent);
  for (const node of graph.nodes) if (node.cluster !== undefined) layout.setParent(node.id, node.cluster);
  for (const edge of graph.edges) layout.setEdge(edge.from, edge.to);
  dagre.layout(layout);
  return { graph, boxes, layout };
}

function renderBox(box: Box, x: number, y: number): string {
  const left = x - box.width / 2;
  const top = y - box.height / 2;
  const { node } = box;
  const text = box.lines.map((line, i) => {
    const baseline = top + PADDING_Y + (i + 1) * LINE_HEIGHT - 4;
    return `<text class="${line.kind}" x="${coord(x)}" y="${coord(baseline)}">${escapeXml(line.text)}</text>`;
  });
  return [
    `<g class="layer" data-name="${escapeXml(node.name)}" data-path="${escapeXml(node.path)}" data-class="${escapeXml(node.className)}">`,
    `<title>${escapeXml(`${node.path} (${node.className})`)}</title>`,
    `<rect x="${coord(left)}" y="${coord(top)}" width="${coord(box.width)}" height="${coord(box.height)}" rx="4"/>`,
    ...text,
    '</g>',
  ].join('');
}

const STYLE = [
  `text{font-family:${FONT_FAMILY};font-size:${FONT_SIZE}px;text-anchor:middle;fill:#1f2328}`,
  '.layer rect{fill:#f6f8fa;stroke:#57606a;stroke-width:1}',
  '.layer text.name{font-weight:bold}',
  '.layer text.class{fill:#0550ae}',
  '.layer text.shape{fill:#57606a}',
  '.edge{fill:none;stroke:#57606a;stroke-width:1.2}',
  '.cluster rect{fill:#fff8c5;fill-opacity:.35;stroke:#9a6700;stroke-dasharray:4 3}',
  '.cluster text{text-anchor:start;fill:#9a6700}',
  'text.title{font-size:14px;font-weight:bold}',
].join('');

/**
 * Renders `model` as a standalone SVG document. Names come from untrusted files: every text
 * and attribute is XML-escaped and the document holds no script or external reference.
 */
export function renderModelPlot(model: ModelIR, options: ModelPlotOptions = {}): string {
  const { graph, boxes, layout } = layOut(model, options);
  const size = layout.graph();
  const title = options.title === false ? undefined : (options.title ?? `${model.name} (${model.className})`);
  const offset = title === undefined ? 0 : TITLE_HEIGHT;
  const width = Math.max(size.width ?? 0, title === undefined ? 0 : textWidth(title, 14) * 1.1 + 32);
  const height = (size.height ?? 0) + offset;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${coord(width)}" height="${coord(height)}" viewBox="0 0 ${coord(width)} ${coord(height)}">`,
    `<style>${STYLE}</style>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#57606a"/></marker></defs>',
  ];
  if (title !== undefined)
    parts.push(`<text class="title" x="${coord(width / 2)}" y="20">${escapeXml(truncateText(title, 96))}</text>`);
  parts.push(`<g transform="translate(0 ${offset})">`);
  for (const cluster of graph.clusters) {
    const frame = layout.node(cluster.id);
    if (frame?.x === undefined || frame.y === undefined) continue;
    const [left, top] = [frame.x - frame.width / 2, frame.y - frame.height / 2];
    parts.push(
      `<g class="cluster" data-name="${escapeXml(cluster.name)}"><rect x="${coord(left)}" y="${coord(top)}" width="${coord(frame.width)}" height="${coord(frame.height)}" rx="6"/>` +
        `<text x="${coord(left + 6)}" y="${coord(top + LINE_HEIGHT - 3)}">${escapeXml(truncateText(`${cluster.name} (${cluster.className})`, MAX_LABEL_CHARS))}</text></g>`,
    );
  }
  for (const edge of graph.edges) {
    const points: Point[] = layout.edge(edge.from, edge.to)?.points ?? [];
    if (points.length < 2) continue;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${coord(p.x)},${coord(p.y)}`).join('');
    const [from, to] = [boxes.get(edge.from)?.node.path ?? '', boxes.get(edge.to)?.node.path ?? ''];
    parts.push(
      `<path class="edge" data-from="${escapeXml(from)}" data-to="${escapeXml(to)}" d="${d}" marker-end="url(#arrow)"/>`,
    );
  }
  for (const node of graph.nodes) {
    const at = layout.node(node.id);
    parts.push(renderBox(boxes.get(node.id)!, at.x ?? 0, at.y ?? 0));
  }
  parts.push('</g>', '</svg>', '');
  return parts.join('\n');
}

/**
 * Renders `model` (see {@link renderModelPlot}) and writes the SVG to `path` atomically.
 *
 * @throws ModelFileError naming `path` when it cannot be written
 */
export async function writeModelPlot(model: ModelIR, path: string, options: ModelPlotOptions = {}): Promise<void> {
  await writeFileAtomic(path, renderModelPlot(model, options));
}
