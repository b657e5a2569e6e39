import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { historyPanels, renderHistoryPlot, writeHistoryPlot } from './history-svg.js';
import { byClass, findAll, parseXml, type XmlElement } from './parse-svg.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-history-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const points = (panel: XmlElement, kind: string): XmlElement[] =>
  byClass(panel, 'point').filter((p) => p.attributes['class']!.includes(kind));

describe('renderHistoryPlot', () => {
  const history = {
    accuracy: [0.5, 0.6, 0.75, 0.8],
    loss: [1.2, 0.9, 0.7, 0.65],
    val_loss: [1.3, 1.0, 0.8, 0.9],
    val_accuracy: [0.45, 0.55, 0.7, 0.72],
    learning_rate: [0.01, 0.01, 0.005, 0.005],
  };

  it('pairs each metric with its val_ series, loss first', () => {
    expect(historyPanels({ history }).map((p) => [p.metric, p.train?.length, p.validation?.length])).toEqual([
      ['loss', 4, 4],
      ['accuracy', 4, 4],
      ['learning_rate', 4, undefined],
    ]);
  });

  it('one panel per metric, one point per epoch and series, values placed on the axes', () => {
    const svg = parseXml(renderHistoryPlot({ history, epoch: [0, 1, 2, 3] }));
    const panels = byClass(svg, 'panel');
    expect(panels.map((p) => p.attributes['data-metric'])).toEqual(['loss', 'accuracy', 'learning_rate']);
    const loss = panels[0]!;
    expect(points(loss, 'train').map((p) => Number(p.attributes['data-value']))).toEqual(history.loss);
    expect(points(loss, 'validation').map((p) => Number(p.attributes['data-value']))).toEqual(history.val_loss);
    expect(points(panels[2]!, 'validation')).toEqual([]);
    expect(byClass(loss, 'series')).toHaveLength(2);
    // Later epochs to the right; a larger loss higher up (smaller y).
    const cx = points(loss, 'train').map((p) => Number(p.attributes['cx']));
    expect(cx).toEqual([...cx].sort((a, b) => a - b));
    const cy = points(loss, 'train').map((p) => Number(p.attributes['cy']));
    expect(cy[0]).toBeLessThan(cy[1]!);
    // Points stay inside the plot area.
    const area = byClass(loss, 'plot-area')[0]!.attributes;
    for (const y of cy) {
      expect(y).toBeGreaterThanOrEqual(Number(area['y']));
      expect(y).toBeLessThanOrEqual(Number(area['y']) + Number(area['height']));
    }
    expect(byClass(loss, 'x').map((t) => t.text)).toEqual(['1', '2', '3', '4']);
  });

  it('leaves out non-finite values (the line breaks) and escapes metric names', () => {
    const svg = parseXml(renderHistoryPlot({ history: { loss: [1, Number.NaN, 0.5, 0.4], '<b>&"x': [1, 2] } }));
    const [loss, hostile] = byClass(svg, 'panel');
    expect(points(loss!, 'train')).toHaveLength(3);
    expect(byClass(loss!, 'series')).toHaveLength(1);
    expect(hostile!.attributes['data-metric']).toBe('<b>&"x');
    expect(findAll(svg, (e) => e.name === 'b')).toEqual([]);
  });

  it('numbers the x axis from the epochs of a resumed fit (initialEpoch)', () => {
    const svg = parseXml(renderHistoryPlot({ history: { loss: [0.5, 0.4, 0.3] }, epoch: [5, 6, 7] }));
    expect(byClass(svg, 'x').map((t) => t.text)).toEqual(['6', '7', '8']);
    const area = byClass(svg, 'plot-area')[0]!.attributes;
    const cx = byClass(svg, 'point').map((p) => Number(p.attributes['cx']));
    expect(cx[0]).toBeCloseTo(Number(area['x']));
    expect(cx[2]).toBeCloseTo(Number(area['x']) + Number(area['width']));
  });

  it('a single epoch and a constant series still draw inside the frame', () => {
    const svg = parseXml(renderHistoryPlot({ history: { loss: [0.3] } }));
    const [point] = byClass(svg, 'point');
    expect(Number.isFinite(Number(point!.attributes['cx']))).toBe(true);
    expect(Number.isFinite(Number(point!.attributes['cy']))).toBe(true);
  });

  it('writeHistoryPlot writes the SVG file', async () => {
    const out = join(dir, 'history.svg');
    await writeHistoryPlot({ history }, out, { columns: 1 });
    const svg = parseXml(readFileSync(out, 'utf8'));
    expect(svg.attributes['height']).toBe(String(3 * 240));
  });
});
