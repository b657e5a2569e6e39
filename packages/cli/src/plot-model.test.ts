import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { byClass, layerBoxes, parseXml } from '../../graph/src/plot/parse-svg.test-suite.js';
import { runCli } from './run-in-process.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const GOLDEN = resolve(HERE, '../../../../shared/keras3-golden/cases');
const HAVE_GOLDEN = existsSync(join(GOLDEN, 'functional_two_in_two_out', 'model.keras'));
const dir = mkdtempSync(join(tmpdir(), 'strata-plot-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plot = (...argv: string[]): ReturnType<typeof runCli> => runCli(['plot-model', ...argv], dir);

describe('strata plot-model', () => {
  it('draws a .keras file: every layer once, with its output shape; --expand-nested frames nested models', async () => {
    const source = join(FIXTURES, 'nested_shared.keras');
    const result = await plot(source, 'model.svg');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrote .*model\.svg \(7 layer\(s\)\)/);
    const model = (await readModelFile(source)).model;
    const svg = parseXml(readFileSync(join(dir, 'model.svg'), 'utf8'));
    expect([...layerBoxes(svg).keys()].sort()).toEqual(model.layers.map((l) => l.name).sort());
    expect(byClass(layerBoxes(svg).get('score')!.element, 'shape').map((t) => t.text)).toEqual(['(None, 1)']);
    expect((await plot(source, 'expanded.svg', '--expand-nested', '--rankdir', 'LR', '--no-shapes')).code).toBe(0);
    const expanded = parseXml(readFileSync(join(dir, 'expanded.svg'), 'utf8'));
    expect(byClass(expanded, 'cluster')).toHaveLength(2);
    expect(byClass(expanded, 'shape')).toEqual([]);
    expect(layerBoxes(expanded).has('inner_seq/dense_1')).toBe(true);
  });

  it('draws a Keras 2 .h5 from its config', async () => {
    const result = await plot(join(FIXTURES, 'keras2_seq2seq_nested.h5'), 'keras2.svg');
    expect(result.code, result.stderr).toBe(0);
    expect(byClass(parseXml(readFileSync(join(dir, 'keras2.svg'), 'utf8')), 'layer').length).toBeGreaterThan(3);
  });

  it('escapes a hostile layer name from the file', async () => {
    const name = '<script>alert(1)</script>';
    const input = {
      module: 'keras.layers',
      class_name: 'InputLayer',
      registered_name: null,
      config: { name: 'in', batch_shape: [null, 3], dtype: 'float32' },
    };
    const dense = { module: 'keras.layers', class_name: 'Dense', registered_name: null, config: { name, units: 2 } };
    writeFileSync(
      join(dir, 'hostile.json'),
      JSON.stringify({
        module: 'keras',
        class_name: 'Sequential',
        registered_name: null,
        config: { name: 'seq', layers: [input, dense] },
      }),
    );
    expect((await plot('hostile.json', 'hostile.svg')).code).toBe(0);
    const text = readFileSync(join(dir, 'hostile.svg'), 'utf8');
    expect(text).not.toContain('<script');
    expect(byClass(parseXml(text), 'layer').map((g) => g.attributes['data-name'])).toContain(name);
  });

  it('exit 2 on usage errors, unreadable input and unwritable output, leaving nothing behind', async () => {
    const source = join(FIXTURES, 'seq2seq.keras');
    expect((await plot(source)).code).toBe(2);
    expect((await plot(source, 'out.png')).stderr).toMatch(/must end in \.svg/);
    expect((await plot(source, 'x.svg', '--rankdir', 'BT')).code).toBe(2);
    expect((await plot(join(dir, 'nope.keras'), 'x.svg')).stderr).toMatch(/nope\.keras: does not exist/);
    const missing = await plot(source, join('missing', 'x.svg'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/x\.svg: could not be written/);
    expect(readdirSync(dir).filter((name) => name.includes('strata-tmp'))).toEqual([]);
    expect((await runCli(['plot-model', '--help'], dir)).stdout).toMatch(
      /Usage: strata plot-model[\s\S]*--expand-nested/,
    );
  });
});

describe.skipIf(!HAVE_GOLDEN)(`strata plot-model on a Keras 3 golden (needs ${GOLDEN}; skipped when absent)`, () => {
  it('functional_two_in_two_out: both inputs, both heads, edges pointing down', async () => {
    const result = await plot(join(GOLDEN, 'functional_two_in_two_out', 'model.keras'), 'golden.svg');
    expect(result.code, result.stderr).toBe(0);
    const svg = parseXml(readFileSync(join(dir, 'golden.svg'), 'utf8'));
    const boxes = layerBoxes(svg);
    expect([...boxes.keys()]).toEqual(expect.arrayContaining(['in_a', 'in_b', 'out_add', 'out_concat']));
    for (const edge of byClass(svg, 'edge')) {
      expect(boxes.get(edge.attributes['data-to']!)!.y).toBeGreaterThan(boxes.get(edge.attributes['data-from']!)!.y);
    }
  });
});
