/**
 * Keras conformance, forward direction: every model file of every case in
 * `../shared/keras3-golden/manifest.json` (`.keras` and legacy `.h5`, including the `.h5` files
 * Keras itself fails to reload) is loaded with Strata's `loadModel`, run on the stored inputs, and
 * compared with the outputs Keras 3 computed: max abs diff ≤ the case's `tolerance_abs`.
 * Skips visibly when ../shared is absent.
 */
import { describe, expect, it } from 'vitest';
import { checkPrediction, goldenRuns } from './golden-checks.js';
import { GOLDEN_DIR, HAVE_GOLDENS, SKIP_REASON, readManifest } from './manifest.js';

const runs = goldenRuns(readManifest().cases);
if (!HAVE_GOLDENS) console.warn(SKIP_REASON);

describe.skipIf(!HAVE_GOLDENS)(
  `Keras 3 goldens: Strata predicts what Keras predicted${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`,
  () => {
    it('the manifest lists cases', () => {
      expect(runs.length).toBeGreaterThan(0);
    });

    it.each(runs)('$title', async (run) => {
      await checkPrediction(run, GOLDEN_DIR);
    });
  },
);
