import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-in-process.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const REAL_MODELS = resolve(HERE, '../../../../shared/fixtures/real-models');
const HAVE_REAL_MODELS = existsSync(REAL_MODELS);
const dir = mkdtempSync(join(tmpdir(), 'strata-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summary = (...argv: string[]): ReturnType<typeof runCli> => runCli(['summary', ...argv], dir);

describe('strata summary on files made by real Keras 3 (fixtures/make_fixtures.py) and a tf.keras 2-style .h5', () => {
  it('counts TimeDistributed(Dense) from its wrapped layer, from the config alone', async () => {
    const result = await summary('--no-weights', join(FIXTURES, 'seq2seq.keras'));
    expect(result.code).toBe(0);
    // Dense 6 → 2 on every step: 6*2 + 2.
    expect(result.stdout).toMatch(/per_step \(TimeDistributed\)\s+│ \(None, 3, 2\)\s+│\s+14 │/);
    expect(result.stdout).not.toContain('unknown size');
  });

  it('agrees with the weights Keras stored, for every fixture (Keras 3 .keras and .h5, tf.keras 2 .h5)', async () => {
    for (const name of [
      'seq2seq.keras',
      'seq2seq.h5',
      'nested_shared.keras',
      'nested_shared.h5',
      'conv_seq.keras',
      'conv_seq.h5',
      'keras2_seq2seq_nested.h5',
    ]) {
      const fromWeights = await summary('--weights', join(FIXTURES, name));
      const fromConfig = await summary(join(FIXTURES, name));
      const total = (text: string): string | undefined => /Total params: .*/.exec(text)?.[0];
      expect(fromWeights.stdout, name).toContain('from the weights stored in the file');
      expect(total(fromConfig.stdout), name).toBe(total(fromWeights.stdout));
      expect(fromConfig.stdout, name).not.toMatch(/unknown size|note:|│ \? /);
    }
  });

  it('infers through tf.keras 2 initial states given as node inputs, and a nested Sequential referenced at node 1', async () => {
    const result = await summary('--no-weights', join(FIXTURES, 'keras2_seq2seq_nested.h5'));
    expect(result.stdout).toMatch(/decoder \(LSTM\)\s+│ \(None, 3, 6\)\s+│\s+264 │ decoder_input\[0\]\[0\]/);
    expect(result.stdout).toMatch(/inner \(Sequential\)\s+│ \(None, 3, 3\)\s+│\s+9 │ per_step\[0\]\[0\]/);
    expect(result.stdout).toContain('Total params: 551');
  });

  it('infers Keras 3 RNN calls with initial_state and nested models called twice', async () => {
    const seq2seq = await summary(join(FIXTURES, 'seq2seq.keras'));
    expect(seq2seq.stdout).toMatch(/decoder \(LSTM\)\s+│ \(None, 3, 6\)/);
    const nested = await summary('--no-weights', join(FIXTURES, 'nested_shared.h5'));
    expect(nested.stdout).toMatch(/inner_seq \(Sequential\)\s+│ \(None, 4\)\s+│\s+52 │/);
    expect(nested.stdout).toMatch(/inner_fn \(Functional\)\s+│ \(None, 3\)\s+│\s+27 │/);
  });
});

const GOLDEN = resolve(HERE, '../../../../shared/keras3-golden/cases');
const HAVE_GOLDEN = existsSync(GOLDEN);
const ATTENTION_FIXTURES = resolve(HERE, '../../core/src/layers/attention/fixtures');
if (!HAVE_GOLDEN)
  console.warn(`SKIPPED: ${GOLDEN} is absent; summary --no-weights is not checked against the goldens' stored weights`);

/** Every `.keras` / `.h5` of the case directories under `root`. */
const modelFiles = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => ['model.keras', 'model.h5'].map((f) => join(root, d.name, f)))
    .filter((path) => existsSync(path));

/** `summary --no-weights` (shape inference and parameter rules) equals `summary` (the stored weights), layer by layer. */
async function expectConfigCountsEqualWeights(paths: string[]): Promise<void> {
  const params = (text: string): string[] =>
    text
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .map((line) =>
        line
          .split('│')
          .slice(1, 4)
          .map((c) => c.trim())
          .filter((_, i) => i !== 1)
          .join(' | '),
      );
  const total = (text: string): string | undefined => /Total params: .*/.exec(text)?.[0];
  for (const path of paths) {
    const fromWeights = await summary('--weights', path);
    const fromConfig = await summary('--no-weights', path);
    expect(fromWeights.code, `${path}: ${fromWeights.stderr}`).toBe(0);
    expect(fromWeights.stdout, path).toContain('from the weights stored in the file');
    expect(fromConfig.stdout, path).not.toMatch(/unknown size|note:|│ \? /);
    expect(total(fromConfig.stdout), path).toBe(total(fromWeights.stdout));
    expect(params(fromWeights.stdout).length, path).toBeGreaterThan(1);
    expect(params(fromConfig.stdout), path).toEqual(params(fromWeights.stdout));
  }
}

describe("strata summary --no-weights agrees with the stored weights on the attention layers' Keras-made fixtures", () => {
  it('every fixture (.keras and .h5: MultiHeadAttention with gate, cross attention, op nodes)', async () => {
    const paths = modelFiles(ATTENTION_FIXTURES);
    expect(paths.length).toBeGreaterThanOrEqual(12);
    await expectConfigCountsEqualWeights(paths);
  });
});

describe.skipIf(!HAVE_GOLDEN)(
  `strata summary --no-weights agrees with the stored weights on every Keras 3 golden (needs ${GOLDEN})`,
  () => {
    it('every golden, .keras and .h5 (attention, transformer block, masked embeddings with op nodes included)', async () => {
      const paths = modelFiles(GOLDEN);
      expect(paths.length).toBeGreaterThanOrEqual(48);
      await expectConfigCountsEqualWeights(paths);
    });
  },
);

describe.skipIf(!HAVE_REAL_MODELS)(
  `strata summary on a TF.js model.json without its shards (needs ${REAL_MODELS}; skipped when absent)`,
  () => {
    it('with --weights, counts from the config and says why, instead of exiting 2', async () => {
      const copy = join(dir, 'no-shards');
      rmSync(copy, { recursive: true, force: true });
      mkdirSync(copy);
      copyFileSync(join(REAL_MODELS, 'tfjs_layers_model/model.json'), join(copy, 'model.json'));
      const result = await summary('--weights', join(copy, 'model.json'));
      const withShards = await summary('--weights', join(REAL_MODELS, 'tfjs_layers_model/model.json'));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('computed from the config');
      expect(result.stdout).toMatch(/note: weights not read .*weights\.bin.*; counted from the config/);
      expect(/Total params: .*/.exec(result.stdout)?.[0]).toBe(/Total params: .*/.exec(withShards.stdout)?.[0]);
    });
  },
);
