/**
 * Keras conformance, reverse direction: every golden model Strata loads, Strata saves as `.keras`;
 * the saved file must look like the one Keras wrote for the same model (the case's `model.keras`):
 *  - `model.weights.h5`: the same groups (with the same `name` attributes) and datasets with the
 *    same names, shapes and dtypes. Keras also writes an `optimizer/` group for a model saved
 *    after training; Strata loads models without optimizer state, so `optimizer/` is compared
 *    only when Strata writes one.
 *  - `config.json`: agrees in the sense of ./config-structure.ts (classes, names, calls, configs;
 *    Keras-only keys allowed when null/false).
 * The saved file also loads back in Strata and predicts exactly what the original did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { checkSavedLayout, goldenRuns } from './golden-checks.js';
import { GOLDEN_DIR, HAVE_GOLDENS, SKIP_REASON, readManifest } from './manifest.js';

const runs = goldenRuns(readManifest().cases, ' → .keras');
if (!HAVE_GOLDENS) console.warn(SKIP_REASON);
const dir = mkdtempSync(join(tmpdir(), 'strata-golden-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE_GOLDENS)(
  `Keras 3 goldens: what Strata saves has Keras's layout${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`,
  () => {
    it.each(runs)('$title', async (run) => {
      await checkSavedLayout(run, GOLDEN_DIR, dir);
    });
  },
);
