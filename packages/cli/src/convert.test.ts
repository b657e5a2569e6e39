import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile, type WeightEntry } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-in-process.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const GOLDEN = resolve(HERE, '../../../../shared/keras3-golden/cases');
const HAVE_GOLDEN = existsSync(GOLDEN);
const dir = mkdtempSync(join(tmpdir(), 'strata-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const convert = (...argv: string[]): ReturnType<typeof runCli> => runCli(['convert', ...argv], dir);

/** Dataset path → shape, dtype and values of a file's weights. */
async function weightsByPath(path: string): Promise<Map<string, WeightEntry>> {
  const file = await readModelFile(path);
  return new Map((await file.weights!()).map((weight) => [weight.path, weight]));
}

/** The layout of a Keras 3 weights file: dataset paths with shape and dtype. */
async function layout(path: string): Promise<string[]> {
  return [...(await weightsByPath(path)).values()].map((w) => `${w.path} (${w.shape.join(', ')}) ${w.dtype}`).sort();
}

describe('strata convert → .keras', () => {
  it('a tf.keras 2 .h5 (initial states as inputs, nested Sequential at node 1): Keras 3 paths, each weight from its legacy name', async () => {
    const out = join(dir, 'keras2.keras');
    const result = await convert(join(FIXTURES, 'keras2_seq2seq_nested.h5'), out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('10 weight array(s)');
    const source = await weightsByPath(join(FIXTURES, 'keras2_seq2seq_nested.h5'));
    const converted = await weightsByPath(out);
    const pairs: [string, string][] = [
      ['layers/lstm/cell/vars/0', 'encoder/lstm_cell/kernel:0'],
      ['layers/lstm_1/cell/vars/1', 'decoder/lstm_cell_1/recurrent_kernel:0'],
      ['layers/lstm_1/cell/vars/2', 'decoder/lstm_cell_1/bias:0'],
      ['layers/time_distributed/layer/vars/0', 'per_step/kernel:0'],
      ['layers/sequential/layers/dense/vars/1', 'inner_dense/bias:0'],
    ];
    for (const [keras3, legacy] of pairs) expect(converted.get(keras3)?.data, keras3).toEqual(source.get(legacy)?.data);
    const file = await readModelFile(out);
    expect(file.format).toBe('keras-zip');
    const decoder = file.model.layers.find((l) => l.name === 'decoder')!;
    // Keras 3 reads initial states from the call's kwargs only.
    expect(decoder.nodes[0]!.inputs.map((r) => r.layer)).toEqual(['decoder_input']);
    expect(JSON.stringify(decoder.nodes[0]!.kwargs?.['initial_state'])).toContain('"keras_history":["encoder",0,1]');
    expect(decoder.config['time_major']).toBeUndefined();
    // Keras 3 numbers a nested Sequential's calls from 0.
    expect(file.model.outputs).toEqual([expect.objectContaining({ layer: 'inner', node: 0, index: 0 })]);
  });

  it('is atomic: an unwritable target leaves nothing behind and exits 2', async () => {
    const result = await convert(join(FIXTURES, 'seq2seq.keras'), join(dir, 'missing-dir', 'out.keras'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/out\.keras: could not be written/);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses unknown output formats and unreadable inputs with exit 2', async () => {
    expect((await convert(join(FIXTURES, 'seq2seq.keras'), join(dir, 'out.onnx'))).stderr).toMatch(
      /must end in \.keras .* or \.json/,
    );
    expect((await convert(join(dir, 'nope.h5'), join(dir, 'out.keras'))).stderr).toMatch(/nope\.h5: does not exist/);
    expect((await convert(join(FIXTURES, 'seq2seq.keras'))).code).toBe(2);
  });
});

describe('strata convert → TF.js model.json + shard', () => {
  it('writes a model.json that reads back with the same weights, and converts back to the same .keras weights', async () => {
    for (const name of ['seq2seq.keras', 'nested_shared.keras', 'keras2_seq2seq_nested.h5']) {
      const json = join(dir, `${name}.json`);
      const result = await convert(join(FIXTURES, name), json);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      const tfjs = await readModelFile(json);
      expect(tfjs.format).toBe('tfjs-model-json');
      const back = join(dir, `${name}.back.keras`);
      expect((await convert(json, back)).code, name).toBe(0);
      const direct = join(dir, `${name}.direct.keras`);
      expect((await convert(join(FIXTURES, name), direct)).code, name).toBe(0);
      const [a, b] = [await weightsByPath(direct), await weightsByPath(back)];
      expect([...b.keys()].sort(), name).toEqual([...a.keys()].sort());
      for (const [path, weight] of a) expect(b.get(path)?.data, `${name} ${path}`).toEqual(weight.data);
    }
  });
});

describe('strata convert → TF.js refuses what TF.js Layers cannot run', () => {
  it('a GRU with reset_after=true (Keras 3 default), even inside Bidirectional: exit 2 naming the layer, nothing written', async () => {
    const json = join(dir, 'conv_seq.json');
    const result = await convert(join(FIXTURES, 'conv_seq.keras'), json);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /conv_seq\.json: cannot be written as TF\.js: layer "bidirectional" is a GRU with reset_after=true/,
    );
    expect(existsSync(json)).toBe(false);
  });

  it("Keras 3's hard_sigmoid, which TF.js would compute as Keras 2's formula: exit 2 naming the layer, nothing written", async () => {
    const source = join(dir, 'hard_sigmoid_k3.json');
    const dense = {
      module: 'keras.layers',
      class_name: 'Dense',
      registered_name: null,
      config: { name: 'gate', units: 2, activation: 'hard_sigmoid', use_bias: true },
    };
    const input = {
      module: 'keras.layers',
      class_name: 'InputLayer',
      registered_name: null,
      config: { name: 'in', batch_shape: [null, 3], dtype: 'float32' },
    };
    writeFileSync(
      source,
      JSON.stringify({
        module: 'keras',
        class_name: 'Sequential',
        registered_name: null,
        config: { name: 'seq', layers: [input, dense] },
      }),
    );
    const json = join(dir, 'hard_sigmoid_k3.model.json');
    const result = await convert(source, json);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /cannot be written as TF\.js: layer "gate" uses Keras 3's hard_sigmoid \(relu6\(x \+ 3\) \/ 6\) as activation/,
    );
    expect(existsSync(json)).toBe(false);
  });
});

describe("strata convert on the attention layers' Keras-made fixtures (packages/core/src/layers/attention/fixtures)", () => {
  it("each Keras-written .h5 (MultiHeadAttention with use_gate, op nodes) converts to the H5 layout and values of Keras's .keras", async () => {
    const root = resolve(HERE, '../../core/src/layers/attention/fixtures');
    const cases = readdirSync(root).filter((name) => existsSync(join(root, name, 'model.h5')));
    expect(cases).toContain('mha_causal_axes');
    for (const name of cases) {
      const out = join(dir, `attention_${name}.keras`);
      const result = await convert(join(root, name, 'model.h5'), out);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      const keras = join(root, name, 'model.keras');
      expect(await layout(out), name).toEqual(await layout(keras));
      const [mine, theirs] = [await weightsByPath(out), await weightsByPath(keras)];
      for (const [path, weight] of mine) expect(weight.data, `${name} ${path}`).toEqual(theirs.get(path)?.data);
    }
  });
});

describe.skipIf(!HAVE_GOLDEN)(`strata convert on the Keras 3 goldens (needs ${GOLDEN}; skipped when absent)`, () => {
  it('converting each Keras-written .h5 gives the H5 layout and values of the .keras Keras wrote for the same model', async () => {
    const cases = readdirSync(GOLDEN).filter((name) => existsSync(join(GOLDEN, name, 'model.h5')));
    expect(cases.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const name of cases) {
      const out = join(dir, `${name}.keras`);
      const result = await convert(join(GOLDEN, name, 'model.h5'), out);
      if (result.code !== 0) {
        failures.push(`${name}: ${result.stderr.trim()}`);
        continue;
      }
      const keras = join(GOLDEN, name, 'model.keras');
      // Convert does not carry optimizer state; Keras's file of a trained model has some.
      const expected = (await layout(keras)).filter((line) => !line.startsWith('optimizer/'));
      expect(await layout(out), name).toEqual(expected);
      const [mine, theirs] = [await weightsByPath(out), await weightsByPath(keras)];
      for (const [path, weight] of mine) expect(weight.data, `${name} ${path}`).toEqual(theirs.get(path)?.data);
    }
    expect(failures).toEqual([]);
  });
});
