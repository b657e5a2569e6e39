/**
 * The hand-off to Keras 3 and back, end to end with real Keras when the oracle of
 * ../shared/keras3-golden/README.md is installed (`/tmp/keras-oracle/kenv.sh`); skips visibly without it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '@strata/core';
import { finish, makeData, prepare } from './handoff.js';

const ORACLE = '/tmp/keras-oracle/kenv.sh';
const HAVE_ORACLE = existsSync(ORACLE);
if (!HAVE_ORACLE)
  console.warn(`SKIPPED: no Keras oracle at ${ORACLE}; the Keras half of the hand-off example is not run`);

const dir = mkdtempSync(join(tmpdir(), 'strata-handoff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keras-handoff example', () => {
  it('its data follows a rule a model can learn (labels are balanced)', () => {
    const { y } = makeData(512);
    const positives = y.reduce((a, b) => a + b, 0);
    // The rule is symmetric, so about half are positive: 256 ± 4σ (σ = √(512/4) ≈ 11.3).
    expect(Math.abs(positives - 256)).toBeLessThan(46);
  });

  it.skipIf(!HAVE_ORACLE)(
    'Keras 3 trains what Strata saved, and Strata predicts what Keras predicts (oracle present)',
    async () => {
      const before = tf.memory().numTensors;
      await prepare(dir);
      const script = fileURLToPath(new URL('./train_in_keras.py', import.meta.url));
      const out = execFileSync('bash', ['-c', `. ${ORACLE} && $PY ${script} ${dir}`], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(out).toMatch(/val_accuracy/);
      const { maxAbsDiff, accuracy } = await finish(dir);
      expect(maxAbsDiff).toBeLessThan(1e-5);
      // 30 epochs on 410 samples of a linear rule: a trained model is far above chance (0.5).
      expect(accuracy).toBeGreaterThan(0.85);
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
