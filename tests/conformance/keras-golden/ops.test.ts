/**
 * `keras.ops` calls in functional models, against goldens made with real Keras 3.15.1 and committed
 * in ./ops (script: ops/make_ops_goldens.py): binary ops with constants on either side and
 * broadcasting, unary ops, where/greater, reductions with axis/keepdims, matmul/transpose/softmax,
 * reshape, concatenate/stack/expand_dims/squeeze, cast, equal/not_equal on int32 tokens, `x[...]`
 * indexing (GetItem), and the mask ops Keras records for Concatenate of masked embeddings
 * (ZerosLike, OnesLike, LogicalOr, Any) feeding an LSTM, beside a masked Bidirectional LSTM. Each
 * `.keras` and legacy `.h5` (which Keras itself cannot read back) must predict Keras's outputs, and
 * Strata's re-saved `.keras` must match Keras's layout and config.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPrediction, checkSavedLayout, goldenRuns } from './golden-checks.js';
import { OPS_GOLDEN_DIR, readManifest } from './manifest.js';

const runs = goldenRuns(readManifest(OPS_GOLDEN_DIR).cases);
const dir = mkdtempSync(join(tmpdir(), 'strata-ops-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keras.ops goldens (committed in ./ops)', () => {
  it('the committed manifest lists the four cases and their .keras and .h5 files', () => {
    expect(runs.map((r) => r.title)).toEqual([
      'ops_elementwise / model.keras',
      'ops_elementwise / model.h5 (Keras cannot reload this file)',
      'ops_shapes / model.keras',
      'ops_shapes / model.h5 (Keras cannot reload this file)',
      'ops_getitem / model.keras',
      'ops_getitem / model.h5 (Keras cannot reload this file)',
      'ops_mask_merge / model.keras',
      'ops_mask_merge / model.h5 (Keras cannot reload this file)',
    ]);
  });

  it.each(runs)('predicts what Keras predicted: $title', async (run) => {
    await checkPrediction(run, OPS_GOLDEN_DIR);
  });

  it.each(runs)('saves what Keras saved: $title', async (run) => {
    await checkSavedLayout(run, OPS_GOLDEN_DIR, dir);
  });
});
