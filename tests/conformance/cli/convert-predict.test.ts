/**
 * `strata convert` (packages/cli, no TF.js) checked at runtime: the `.keras` and the TF.js
 * `model.json` it writes load in Strata and predict what the original file predicts, for the
 * CLI's fixtures and the real models of ../shared/fixtures/real-models (skipped visibly when absent).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tf } from '@strata/core';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../../../packages/cli/src/cli.js';
import '../../../packages/core/src/layers/index.js';
import type { Model } from '../../../packages/core/src/engine/model.js';
import { loadModel } from '../../../packages/core/src/saving/index.js';

const REPO = resolve(import.meta.dirname, '../../..');
const REAL_MODELS = resolve(REPO, '../shared/fixtures/real-models');
const CLI_FIXTURES = resolve(REPO, 'packages/cli/src/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'strata-convert-predict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Converts; `false` when the target format cannot hold the model (TF.js without GRU reset_after=true). */
async function convert(input: string, output: string): Promise<boolean> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    cwd: dir,
    env: {},
    stdoutIsTTY: false,
  };
  const code = await run(['convert', input, output], io);
  if (code === 2 && /cannot be written as TF\.js/.test(stderr)) return false;
  expect(code, stderr).toBe(0);
  return true;
}

/** Deterministic inputs for a model: small integers for Embedding inputs, a smooth pattern otherwise. */
function inputsFor(model: Model): tf.Tensor[] {
  const embeddingFed = model.layers.some((l) => l.className === 'Embedding');
  return model.inputs.map((input, k) => {
    const shape = input.shape.map((d) => d ?? 2);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => (embeddingFed ? (i * 7 + k) % 4 : Math.sin(i * 0.7 + k)));
    return tf.tensor(values, shape);
  });
}

function predict(model: Model, xs: tf.Tensor[]): number[][] {
  return tf.tidy(() => {
    const out = model.applyMulti(xs.length === 1 ? xs[0]! : xs) as unknown as tf.Tensor[];
    return out.map((t) => Array.from(t.dataSync()));
  });
}

const cases = [
  ...readdirSync(CLI_FIXTURES)
    .filter((f) => /\.(keras|h5)$/.test(f))
    .map((f) => join(CLI_FIXTURES, f)),
  ...(existsSync(REAL_MODELS)
    ? [
        'dl4j_cnn2d_64.h5',
        'dl4j_mlp_0.h5',
        'dl4j_simple_lstm_tf_keras_2_model.h5',
        'dl4j_wgan_discriminator.h5',
        'fashion_mnist_cnn.keras',
        'tfjs_layers_model/model.json',
      ].map((f) => join(REAL_MODELS, f))
    : []),
];
if (!existsSync(REAL_MODELS)) console.warn(`convert-predict: ${REAL_MODELS} is absent; real-model cases skipped`);

describe('files written by strata convert predict like the original', () => {
  it.each(cases)('%s → .keras and → model.json', async (path) => {
    const base = join(dir, path.replace(/[^A-Za-z0-9]+/g, '_'));
    expect(await convert(path, `${base}.keras`)).toBe(true);
    const outputs = [`${base}.keras`];
    if (await convert(path, `${base}.json`)) outputs.push(`${base}.json`);
    else expect(path).toMatch(/conv_seq/);
    const original = await loadModel(path, { compile: false });
    const xs = inputsFor(original);
    const expected = predict(original, xs);
    for (const converted of outputs) {
      const model = await loadModel(converted, { compile: false });
      const actual = predict(model, xs);
      expect(actual.length, converted).toBe(expected.length);
      actual.forEach((values, i) =>
        values.forEach((v, j) =>
          expect(Math.abs(v - expected[i]![j]!), `${converted} output ${i}[${j}]`).toBeLessThan(1e-5),
        ),
      );
      model.dispose();
    }
    xs.forEach((x) => x.dispose());
    original.dispose();
  });
});
