import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerIR, ModelIR, TensorRef } from '../ir.js';
import { ModelFileError } from '../files/errors.js';
import { readModelFile } from '../files/read-model-file.js';
import { callInputs } from '../walk.js';
import { renderModelPlot, writeModelPlot } from './model-plot-svg.js';
import { byClass, layerBoxes, parseXml, type XmlElement } from './parse-svg.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const GOLDEN = resolve(HERE, '../../../../../shared/keras3-golden/cases');
const HAVE_GOLDEN = existsSync(GOLDEN);
const CLI_FIXTURES = resolve(HERE, '../../../cli/src/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'strata-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ref = (layer: string, node = 0, index = 0): TensorRef => ({ layer, node, index });
const input = (name: string, shape: (number | null)[]): LayerIR => ({
  className: 'InputLayer',
  name,
  config: { name, batch_shape: shape, dtype: 'float32' },
  nodes: [],
});
const layer = (
  className: string,
  name: string,
  config: Record<string, number | string>,
  ...inputs: TensorRef[][]
): LayerIR => ({
  className,
  name,
  config: { name, ...config },
  nodes: inputs.map((refs) => (refs.length > 1 ? { inputs: refs, inputsAsList: true } : { inputs: refs })),
});

function sequential(): ModelIR {
  return {
    className: 'Sequential',
    name: 'seq',
    layers: [
      input('input_layer', [null, 4]),
      layer('Dense', 'hidden', { units: 8, activation: 'relu' }, [ref('input_layer')]),
      layer('Dropout', 'dropout', { rate: 0.5 }, [ref('hidden')]),
      layer('Dense', 'out', { units: 3 }, [ref('dropout')]),
    ],
    inputs: [ref('input_layer')],
    outputs: [ref('out')],
  };
}

/** Two inputs, a layer shared by both, a merge and two output heads. */
function branches(): ModelIR {
  return {
    className: 'Functional',
    name: 'branches',
    layers: [
      input('in_a', [null, 5]),
      input('in_b', [null, 5]),
      layer('Dense', 'shared', { units: 6 }, [ref('in_a')], [ref('in_b')]),
      layer('Add', 'add', {}, [ref('shared', 0), ref('shared', 1)]),
      layer('Concatenate', 'concat', { axis: -1 }, [ref('shared', 0), ref('in_b')]),
      layer('Dense', 'head_1', { units: 2 }, [ref('add')]),
      layer('Dense', 'head_2', { units: 1 }, [ref('concat')]),
    ],
    inputs: [ref('in_a'), ref('in_b')],
    outputs: [ref('head_1'), ref('head_2')],
  };
}

/** Distinct producer → consumer layer pairs of a model (no nested expansion): what the edges must be. */
function connections(model: ModelIR): Set<string> {
  const names = new Set(model.layers.map((l) => l.name));
  const pairs = new Set<string>();
  for (const l of model.layers)
    for (const call of l.nodes)
      for (const { ref: r } of callInputs(call, names)) if (r.layer !== l.name) pairs.add(`${r.layer} -> ${l.name}`);
  return pairs;
}

/** Parses the plot and checks its structure against the model: each layer once, edges = connections, edges point down. */
function checkPlot(model: ModelIR, svgText: string): XmlElement {
  const svg = parseXml(svgText);
  expect(svg.name).toBe('svg');
  expect(
    byClass(svg, 'layer')
      .map((g) => g.attributes['data-name'])
      .sort(),
  ).toEqual(model.layers.map((l) => l.name).sort());
  const boxes = layerBoxes(svg);
  const edges = byClass(svg, 'edge').map((e) => `${e.attributes['data-from']} -> ${e.attributes['data-to']}`);
  expect(edges.length).toBe(new Set(edges).size);
  expect(new Set(edges)).toEqual(connections(model));
  for (const edge of byClass(svg, 'edge')) {
    const [from, to] = [boxes.get(edge.attributes['data-from']!)!, boxes.get(edge.attributes['data-to']!)!];
    expect(to.y, `${edge.attributes['data-from']} above ${edge.attributes['data-to']}`).toBeGreaterThan(from.y);
  }
  return svg;
}

const textsOf = (group: XmlElement | undefined): string[] =>
  (group?.children ?? []).filter((c) => c.name === 'text').map((c) => c.text);

describe('renderModelPlot', () => {
  it('a Sequential model: one box per layer with name, class and output shape, one edge per step, top to bottom', () => {
    const model = sequential();
    const svg = checkPlot(model, renderModelPlot(model));
    expect(byClass(svg, 'edge')).toHaveLength(3);
    const boxes = layerBoxes(svg);
    expect(textsOf(boxes.get('hidden')?.element)).toEqual(['hidden', 'Dense', '(None, 8)']);
    expect(textsOf(boxes.get('out')?.element)).toEqual(['out', 'Dense', '(None, 3)']);
    expect(byClass(svg, 'title')[0]?.text).toBe('seq (Sequential)');
  });

  it('a functional model with two inputs, a shared layer, merges and two outputs', () => {
    const model = branches();
    const svg = checkPlot(model, renderModelPlot(model));
    // in_a→shared, in_b→shared, shared→add, shared→concat, in_b→concat, add→head_1, concat→head_2.
    expect(byClass(svg, 'edge')).toHaveLength(7);
    const boxes = layerBoxes(svg);
    expect(textsOf(boxes.get('concat')?.element)).toEqual(['concat', 'Concatenate', '(None, 11)']);
    // Both inputs are sources, on the same (top) rank.
    expect(boxes.get('in_a')!.y).toBe(boxes.get('in_b')!.y);
  });

  it('left to right, without shapes or classes, on request', () => {
    const svg = parseXml(
      renderModelPlot(sequential(), { rankdir: 'LR', showShapes: false, showClassNames: false, title: false }),
    );
    const boxes = layerBoxes(svg);
    expect(boxes.get('out')!.x).toBeGreaterThan(boxes.get('hidden')!.x);
    expect(textsOf(boxes.get('hidden')?.element)).toEqual(['hidden']);
    expect(byClass(svg, 'title')).toEqual([]);
  });

  it('escapes hostile names: shown as text, never markup', () => {
    const model = sequential();
    const hostile = '<script>alert("x")</script>&\u0000\'';
    model.layers[1] = { ...model.layers[1]!, name: hostile, className: '<img src=x onerror=alert(1)>' };
    model.layers[2]!.nodes = [{ inputs: [ref(hostile)] }];
    const text = renderModelPlot(model, { title: '</svg><script>' });
    expect(text).not.toMatch(/<script|<img/i);
    const svg = parseXml(text);
    const names = byClass(svg, 'layer').map((g) => g.attributes['data-name']);
    expect(names).toContain('<script>alert("x")</script>&\ufffd\'');
    expect(byClass(svg, 'edge').map((e) => e.attributes['data-to'])).toContain('dropout');
    expect(byClass(svg, 'title')[0]?.text).toBe('</svg><script>');
  });

  it('nested models: one box by default, a frame around their layers with expandNested', async () => {
    const file = await readModelFile(join(CLI_FIXTURES, 'nested_shared.keras'));
    const collapsed = checkPlot(file.model, renderModelPlot(file.model));
    expect(byClass(collapsed, 'cluster')).toEqual([]);
    expect(textsOf(layerBoxes(collapsed).get('inner_seq')?.element).slice(0, 2)).toEqual(['inner_seq', 'Sequential']);
    const expanded = parseXml(renderModelPlot(file.model, { expandNested: true }));
    const boxes = layerBoxes(expanded);
    expect(boxes.has('inner_seq')).toBe(false);
    expect([...boxes.keys()]).toEqual(expect.arrayContaining(['inner_seq/dense_1', 'inner_fn/inner_dense']));
    expect(
      byClass(expanded, 'cluster')
        .map((c) => c.attributes['data-name'])
        .sort(),
    ).toEqual(['inner_fn', 'inner_seq']);
    const edges = byClass(expanded, 'edge').map((e) => `${e.attributes['data-from']} -> ${e.attributes['data-to']}`);
    // The nested model's output layer feeds the outer consumer; the outer producer feeds its input layer.
    expect(edges).toEqual(
      expect.arrayContaining(['inner_seq/batch_normalization -> concat', 'shared -> inner_seq/input_layer']),
    );
    for (const edge of byClass(expanded, 'edge')) {
      expect(boxes.get(edge.attributes['data-to']!)!.y).toBeGreaterThan(boxes.get(edge.attributes['data-from']!)!.y);
    }
  });
});

describe('writeModelPlot', () => {
  it('writes the SVG atomically, and names the path when it cannot', async () => {
    const out = join(dir, 'model.svg');
    await writeModelPlot(sequential(), out);
    checkPlot(sequential(), readFileSync(out, 'utf8'));
    await expect(writeModelPlot(sequential(), join(dir, 'missing', 'model.svg'))).rejects.toThrow(ModelFileError);
    expect(readdirSync(dir)).toEqual(['model.svg']);
  });
});

describe.skipIf(!HAVE_GOLDEN)(`renderModelPlot on the Keras 3 goldens (needs ${GOLDEN}; skipped when absent)`, () => {
  it('every real model: each layer once, edges = connections, top to bottom, shapes inferred', async () => {
    const cases = readdirSync(GOLDEN).filter((name) => existsSync(join(GOLDEN, name, 'model.keras')));
    expect(cases).toContain('functional_two_in_two_out');
    for (const name of cases) {
      const file = await readModelFile(join(GOLDEN, name, 'model.keras'));
      const svg = checkPlot(file.model, renderModelPlot(file.model));
      const shapes = byClass(svg, 'shape').map((t) => t.text);
      expect(
        shapes.filter((s) => s === '?'),
        name,
      ).toEqual([]);
    }
  });
});
