import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { byClass, layerBoxes, parseXml, type XmlElement } from '../../../graph/src/plot/parse-svg.test-suite.js';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import * as layers from '../layers/index.js';
import { SGD } from '../optimizers/sgd.js';
import { mlp, regressionData } from '../training/test-models.test-suite.js';
import { plotHistory, plotModel } from './plot.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-core-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plotted(
  model: Sequential | Model,
  name: string,
  options: Parameters<typeof plotModel>[2] = {},
): Promise<XmlElement> {
  const out = join(dir, name);
  await plotModel(model, out, options);
  return parseXml(readFileSync(out, 'utf8'));
}

const edgesOf = (svg: XmlElement): string[] =>
  byClass(svg, 'edge')
    .map((e) => `${e.attributes['data-from']} -> ${e.attributes['data-to']}`)
    .sort();
const shapeOf = (svg: XmlElement, layer: string): string[] =>
  byClass(layerBoxes(svg).get(layer)!.element, 'shape').map((t) => t.text);

function branchModel(): Model {
  const a = Input({ shape: [4], name: 'in_a' });
  const b = Input({ shape: [4], name: 'in_b' });
  const shared = new layers.Dense(6, { name: 'shared' });
  const [sa, sb] = [shared.apply(a), shared.apply(b)];
  const inner = new Sequential([Input([6]), new layers.Dense(5, { name: 'inner_dense' })], { name: 'inner' });
  const sum = new layers.Add({ name: 'sum' }).apply([sa, sb]);
  const joined = new layers.Concatenate({ name: 'joined' }).apply([inner.apply(sa), b]);
  const outA = new layers.Dense(2, { name: 'out_a' }).apply(sum);
  const outB = new layers.Dense(1, { name: 'out_b' }).apply(joined);
  return new Model({ inputs: [a, b], outputs: [outA, outB], name: 'branches' });
}

describe('plotModel', () => {
  it('a Sequential model: every layer once, a chain of edges, shapes from the model', async () => {
    const model = mlp(8);
    const svg = await plotted(model, 'seq.svg');
    const names = byClass(svg, 'layer').map((g) => g.attributes['data-name']);
    expect(names.slice(1).sort()).toEqual(model.layers.map((l) => l.name).sort());
    expect(byClass(svg, 'edge')).toHaveLength(model.layers.length);
    expect(shapeOf(svg, model.layers[0]!.name)).toEqual(['(None, 8)']);
    const boxes = layerBoxes(svg);
    const ys = model.layers.map((l) => boxes.get(l.name)!.y);
    expect(ys).toEqual([...ys].sort((p, q) => p - q));
  });

  it('a functional model with two inputs, a shared layer, a nested model and two outputs', async () => {
    const model = branchModel();
    const svg = await plotted(model, 'branches.svg');
    expect(
      byClass(svg, 'layer')
        .map((g) => g.attributes['data-name'])
        .sort(),
    ).toEqual(model.layers.map((l) => l.name).sort());
    expect(edgesOf(svg)).toEqual(
      [
        'in_a -> shared',
        'in_b -> shared',
        'shared -> sum',
        'shared -> inner',
        'inner -> joined',
        'in_b -> joined',
        'sum -> out_a',
        'joined -> out_b',
      ].sort(),
    );
    expect(shapeOf(svg, 'joined')).toEqual(['(None, 9)']);
    expect(byClass(layerBoxes(svg).get('inner')!.element, 'class')[0]!.text).toBe('Sequential');
    const expanded = await plotted(model, 'expanded.svg', { expandNested: true });
    expect(byClass(expanded, 'cluster').map((c) => c.attributes['data-name'])).toEqual(['inner']);
    expect(edgesOf(expanded)).toEqual(expect.arrayContaining(['inner/inner_dense -> joined']));
    expect(shapeOf(expanded, 'inner/inner_dense')).toEqual(['(None, 5)']);
  });

  it('escapes a hostile layer name', async () => {
    const model = new Sequential([Input([2]), new layers.Dense(1, { name: '<script>alert(1)&"\'' })]);
    const out = join(dir, 'hostile.svg');
    await plotModel(model, out);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('<script');
    expect(byClass(parseXml(text), 'layer').map((g) => g.attributes['data-name'])).toContain('<script>alert(1)&"\'');
  });
});

describe('plotHistory', () => {
  it('draws the History of a real fit: a panel per metric, a point per epoch, val_ paired, no tensors left', async () => {
    const { x, y } = regressionData(16);
    const model = mlp(4);
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationData: [x, y], verbose: 0 });
    const out = join(dir, 'history.svg');
    await plotHistory(history, out);
    expect(tf.memory().numTensors).toBe(before);
    const svg = parseXml(readFileSync(out, 'utf8'));
    const panels = byClass(svg, 'panel');
    expect(panels.map((p) => p.attributes['data-metric'])).toEqual(['loss', 'mae']);
    for (const panel of panels) {
      const metric = panel.attributes['data-metric']!;
      const values = (kind: string): number[] =>
        byClass(panel, 'point')
          .filter((p) => p.attributes['class']!.includes(kind))
          .map((p) => Number(p.attributes['data-value']));
      expect(values('train')).toEqual(history.history[metric]);
      expect(values('validation')).toEqual(history.history[`val_${metric}`]);
    }
    x.dispose();
    y.dispose();
  });
});
