/**
 * The reverse direction: real Keras 3 loads the `.keras` files Strata writes for models with
 * attention layers and predicts what Keras predicted from its own files. Needs the Keras oracle
 * of ../shared/keras3-golden/README.md (`/tmp/keras-oracle/kenv.sh`); skips visibly without it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../../saving/index.js';
import { FIXTURES, fixtureCase } from './golden-case.test-suite.js';

const ORACLE = '/tmp/keras-oracle/kenv.sh';
const HAVE_ORACLE = existsSync(ORACLE);
if (!HAVE_ORACLE)
  console.warn(`SKIPPED: no Keras oracle at ${ORACLE}; Keras does not re-read Strata's attention files here`);

const dir = mkdtempSync(join(tmpdir(), 'strata-keras-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import glob, json, sys, numpy as np, keras
out = {}
for name, model, case in json.loads(sys.argv[1]):
    m = keras.saving.load_model(model)
    xs = [np.load(p) for p in sorted(glob.glob(case + "/x*.npy"))]
    ys = [np.load(p) for p in sorted(glob.glob(case + "/y*.npy"))]
    p = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    p = p if isinstance(p, (list, tuple)) else [p]
    out[name] = max(float(np.abs(np.asarray(a) - b).max()) for a, b in zip(p, ys))
print(json.dumps(out))
`;

describe.skipIf(!HAVE_ORACLE)('Keras 3 reads the attention models Strata saves (Keras oracle present)', () => {
  it("every attention fixture, re-saved by Strata, predicts Keras's outputs in Keras (≤ 1e-6)", async () => {
    // mha_masks and attention_masks hold Keras's NotEqual / ConvertToTensor op nodes, which Strata saves back as Keras does.
    const names = [
      'mha_cross_scores',
      'mha_causal_axes',
      'mha_attention_mask',
      'attention_variants',
      'mha_masks',
      'attention_masks',
    ];
    const jobs: [string, string, string][] = [];
    for (const name of names) {
      const model = await loadModel(join(FIXTURES, fixtureCase(name).name, 'model.keras'));
      const path = join(dir, `${name}.keras`);
      await saveModel(model, path);
      model.dispose();
      jobs.push([name, path, join(FIXTURES, name)]);
    }
    const command = `. ${ORACLE} && "$PY" -c '${SCRIPT}' '${JSON.stringify(jobs)}'`;
    const lines = execFileSync('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
      .split('\n');
    const diffs = JSON.parse(lines[lines.length - 1]!) as Record<string, number>;
    expect(Object.keys(diffs).sort()).toEqual([...names].sort());
    for (const name of names) expect(diffs[name]).toBeLessThanOrEqual(1e-6);
  }, 300_000);
});
