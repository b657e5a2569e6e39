import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inspection } from './inspect.js';
import { runCli } from './run-in-process.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const REAL_MODELS = resolve(HERE, '../../../../shared/fixtures/real-models');
const HAVE_REAL_MODELS = existsSync(REAL_MODELS);
const dir = mkdtempSync(join(tmpdir(), 'strata-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inspect = (...argv: string[]): ReturnType<typeof runCli> => runCli(['inspect', ...argv], dir);
async function inspectJson(path: string): Promise<Inspection> {
  const result = await inspect('--format', 'json', path);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Inspection;
}

describe('strata inspect', () => {
  it('reports format, Keras version, layers, every weight array and the compile config of a .keras file', async () => {
    const result = await inspect(join(FIXTURES, 'seq2seq.keras'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Format:  Keras 3 .keras archive');
    expect(result.stdout).toContain('Writer:  Keras 3.15.1');
    expect(result.stdout).toMatch(/decoder\s+LSTM\s+1/);
    expect(result.stdout).toMatch(/layers\/lstm_1\/cell\/vars\/1\s+decoder\s+\(6, 24\)\s+float32\s+576/);
    expect(result.stdout).toContain('Weights (8 arrays, 542 values, 2,168 bytes)');
    expect(result.stdout).toMatch(/Compile config:[\s\S]*"class_name": "Adam"[\s\S]*MeanSquaredError/);
  });

  it('--format json lists nested layers with their depth and weights with their sizes', async () => {
    const inspection = await inspectJson(join(FIXTURES, 'nested_shared.h5'));
    expect(inspection.format).toBe('keras-h5');
    expect(inspection.writer).toBe('Keras 3.15.1 (torch backend)');
    expect(inspection.model).toEqual({ name: 'nested_shared', className: 'Functional', inputs: 2, outputs: 2 });
    expect(inspection.layers.find((l) => l.path === 'inner_seq/batch_normalization')).toEqual({
      path: 'inner_seq/batch_normalization',
      className: 'BatchNormalization',
      depth: 1,
      calls: 1,
    });
    expect(inspection.layers.find((l) => l.path === 'shared')?.calls).toBe(2);
    expect(inspection.weights?.find((w) => w.path === 'inner_dense/kernel')).toEqual({
      path: 'inner_dense/kernel',
      layer: 'inner_fn',
      shape: [8, 3],
      dtype: 'float32',
      bytes: 96,
    });
    expect(inspection.weights?.reduce((sum, w) => sum + w.bytes, 0)).toBe(640);
    expect(inspection.compileConfig).toBeNull();
  });

  it('a tf.keras 2 .h5: its Keras version and backend, legacy weight names', async () => {
    const inspection = await inspectJson(join(FIXTURES, 'keras2_seq2seq_nested.h5'));
    expect(inspection.writer).toBe('Keras 2.15.0 (tensorflow backend)');
    expect(inspection.weights?.map((w) => w.path)).toContain('decoder/lstm_cell_1/recurrent_kernel:0');
  });

  it('exits 2 with one clear line for empty, corrupt, truncated, non-model and missing files', async () => {
    writeFileSync(join(dir, 'empty.keras'), '');
    writeFileSync(join(dir, 'corrupt.keras'), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]));
    writeFileSync(join(dir, 'truncated.keras'), readFileSync(join(FIXTURES, 'conv_seq.keras')).subarray(0, 2000));
    writeFileSync(join(dir, 'picture.h5'), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    const expected: [string, RegExp][] = [
      ['empty.keras', /empty\.keras: is empty/],
      ['corrupt.keras', /corrupt\.keras: is a corrupt or truncated zip/],
      ['truncated.keras', /truncated\.keras: .*(corrupt|truncated)/],
      ['picture.h5', /picture\.h5: is not a model file/],
      ['missing.keras', /missing\.keras: does not exist/],
    ];
    for (const [name, message] of expected) {
      const result = await inspect(name);
      expect(result.code, name).toBe(2);
      expect(result.stdout, name).toBe('');
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).not.toMatch(/\n\s+at /);
    }
    expect((await inspect()).code).toBe(2);
    expect((await inspect('--format', 'xml', 'x.keras')).stderr).toMatch(/--format must be one of text, json/);
  });
});

describe.skipIf(!HAVE_REAL_MODELS)(`strata inspect on real models (needs ${REAL_MODELS}; skipped when absent)`, () => {
  it('a TF.js model.json: generatedBy, manifest weights; without its shards it prints the rest and exits 2', async () => {
    const inspection = await inspectJson(join(REAL_MODELS, 'tfjs_layers_model/model.json'));
    expect(inspection.format).toBe('tfjs-model-json');
    expect(inspection.writer).toContain('TensorFlow.js tfjs-layers');
    expect(inspection.weights?.length).toBe(4);
    const copy = join(dir, 'no-shards');
    mkdirSync(copy, { recursive: true });
    copyFileSync(join(REAL_MODELS, 'tfjs_layers_model/model.json'), join(copy, 'model.json'));
    const result = await inspect(join(copy, 'model.json'));
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /Layers \(2\)[\s\S]*Weights: could not be read: .*weight shard weights\.bin could not be read/,
    );
    expect(result.stderr).toMatch(/weights\.bin/);
  });

  it('a Keras 2 .h5 with its training config', async () => {
    const inspection = await inspectJson(join(REAL_MODELS, 'dl4j_simple_lstm_tf_keras_2_model.h5'));
    expect(inspection.writer).toBe('Keras 2.0.6 (tensorflow backend)');
    expect(inspection.weights?.map((w) => [w.path, w.shape])).toContainEqual(['lstm_1/kernel:0', [1, 200]]);
    expect(inspection.compileConfig).not.toBeNull();
  });
});
