/**
 * Keras conformance, reverse direction: every golden model Strata loads, Strata saves as `.keras`;
 * the saved file must look like the one Keras wrote for the same model (the case's `model.keras`):
 *  - `model.weights.h5`: the same groups (with the same `name` attributes) and datasets with the
 *    same names, shapes and dtypes under `layers/` and at the root. Keras also writes an
 *    `optimizer/` group for a model saved after training; Strata loads models without optimizer
 *    state, so `optimizer/` is compared only when Strata writes one.
 *  - `config.json`: agrees in the sense of ./config-structure.ts (classes, names, calls, configs;
 *    Keras-only keys allowed when null/false).
 * The saved file also loads back in Strata and predicts exactly what the original did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadModel, saveModel, tf } from '@strata/core';
import { afterAll, describe, expect, it } from 'vitest';
import { configDifferences } from './config-structure.js';
import { kerasConfigJson, kerasWeightsLayout } from './h5-layout.js';
import { HAVE_GOLDENS, SKIP_REASON, goldenPath, npyTensor, readManifest } from './manifest.js';

const manifest = readManifest();
if (!HAVE_GOLDENS) console.warn(SKIP_REASON);
const dir = mkdtempSync(join(tmpdir(), 'strata-golden-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = manifest.cases.flatMap((c) =>
  c.models.map((m) => ({ title: `${c.name} / ${basename(m.file)} → .keras`, golden: c, model: m })),
);

const withoutOptimizer = (lines: string[]): string[] => lines.filter((l) => !l.startsWith('optimizer/'));

describe.skipIf(!HAVE_GOLDENS)(`Keras 3 goldens: what Strata saves has Keras's layout${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`, () => {
  it.each(runs)('$title', async ({ golden, model: file }) => {
    const kerasFile = goldenPath(`${golden.dir}/model.keras`);
    const model = await loadModel(goldenPath(file.file), { compile: false });
    const out = join(dir, `${golden.name}-${basename(file.file).replace('.', '_')}.keras`);
    await saveModel(model, out);

    const ours = await kerasWeightsLayout(out);
    const theirs = await kerasWeightsLayout(kerasFile);
    const hasOptimizer = ours.some((l) => l.startsWith('optimizer/'));
    expect(hasOptimizer ? ours : withoutOptimizer(ours)).toEqual(hasOptimizer ? theirs : withoutOptimizer(theirs));
    expect(configDifferences(kerasConfigJson(out) as never, kerasConfigJson(kerasFile) as never)).toEqual([]);

    const inputs = golden.inputs.map((x) => npyTensor(x.file));
    const reloaded = await loadModel(out, { compile: false });
    const a = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    const b = reloaded.predict(inputs.length === 1 ? inputs[0]! : inputs);
    const [as, bs] = [Array.isArray(a) ? a : [a], Array.isArray(b) ? b : [b]];
    as.forEach((t, i) => expect(Array.from(bs[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
    tf.dispose([...inputs, ...as, ...bs]);
    model.dispose();
    reloaded.dispose();
  });
});
