import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { setRandomSeed } from '../../utils/random-seed.js';
import { loadModel, modelToKerasJson, saveModel } from '../../saving/index.js';
import { GlobalAveragePooling1D } from '../pooling/global-average-pooling1d.js';
import { AdditiveAttention } from './additive-attention.js';
import { Attention } from './attention.js';
import { FIXTURES, fixtureCase, fixtureModels, goldenDiffs } from './golden-case.test-suite.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { GOLDEN_DIR, HAVE_GOLDENS, maxAbsDiff, readNpy } from './npy.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-attention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHARED_CASE = join(GOLDEN_DIR, 'cases/attention_layers');
if (!HAVE_GOLDENS)
  console.warn(`SKIPPED: the shared Keras goldens are absent (${GOLDEN_DIR}); attention_layers is not checked`);

describe.skipIf(!HAVE_GOLDENS)(
  'Attention and AdditiveAttention: keras3-golden attention_layers (shared goldens present)',
  () => {
    // Keras itself cannot reload its own model.h5 here (score_mode comes back as a function); Strata reads "dot".
    it.each(['model.keras', 'model.h5'])(
      '%s predicts what Keras 3.15.1 predicted (≤ 1e-4), without leaking tensors',
      async (file) => {
        const baseline = tf.memory().numTensors;
        const diffs = await goldenDiffs(SHARED_CASE, file, ['x0.npy', 'x1.npy'], ['y0.npy', 'y1.npy']);
        expect(diffs).toHaveLength(2);
        for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-4);
        expect(tf.memory().numTensors).toBe(baseline);
      },
    );
  },
);

describe('Attention: goldens made with Keras 3.15.1 (fixtures/make_attention_goldens.py)', () => {
  const c = fixtureCase('attention_variants');
  it.each(fixtureModels(c))(
    'attention_variants/%s (concat score with/without scale, causal mask with scores, dropout at inference)',
    async (file) => {
      const diffs = await goldenDiffs(join(FIXTURES, c.name), file, c.inputs, c.outputs);
      expect(diffs).toHaveLength(6);
      for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-5);
    },
  );

  it.each(fixtureModels(fixtureCase('attention_masks')))(
    'attention_masks/%s: query and value masks from a shared Embedding(mask_zero), and the mask into pooling (Keras writes NotEqual and ConvertToTensor op nodes)',
    async (file) => {
      const m = fixtureCase('attention_masks');
      const baseline = tf.memory().numTensors;
      const model = await loadModel(join(FIXTURES, m.name, file));
      expect(model.layers.map((l) => l.className)).toEqual(
        expect.arrayContaining(['NotEqual', 'ConvertToTensor', 'Attention', 'AdditiveAttention']),
      );
      const xs = m.inputs.map((f) => readNpy(join(FIXTURES, m.name, f)));
      const out = model.predict(xs) as tf.Tensor[];
      expect(out).toHaveLength(m.outputs.length);
      m.outputs.forEach((f, i) => {
        const y = readNpy(join(FIXTURES, m.name, f));
        expect(maxAbsDiff(out[i]!, y)).toBeLessThanOrEqual(1e-5);
        y.dispose();
      });
      // Masked query steps give zeros (row 0 has 3 tokens).
      const tail = tf.slice(out[0]!, [0, 3, 0], [1, 2, 4]);
      expect(Array.from(tail.dataSync())).toEqual(new Array(8).fill(0));
      tf.dispose([...xs, ...out, tail]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    },
  );
});

describe('Attention in Strata', () => {
  it('computes softmax(q·kᵀ)·v by hand, with a value mask, causal mask and the returned weights', () => {
    const q = tf.tensor3d([
      [
        [1, 0],
        [0, 2],
      ],
    ]);
    const v = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const valueMask = tf.tensor2d([[true, true, false]], [1, 3], 'bool');
    const layer = new Attention();
    const [out, weights] = layer.applyMulti([q, v], {
      mask: [null, valueMask],
      kwargs: { useCausalMask: true, returnAttentionScores: true },
    });
    // Row 0 sees key 0 only (causal); row 1 sees keys 0 and 1 (key 2 is masked): q1·k0 = 4, q1·k1 = 8.
    const e = Math.exp(4 - 8);
    const w1 = [e / (1 + e), 1 / (1 + e)];
    const expectedWeights = [1, 0, 0, w1[0]!, w1[1]!, 0];
    Array.from(weights!.dataSync()).forEach((w, i) => expect(w).toBeCloseTo(expectedWeights[i]!, 6));
    const expectedOut = [1, 2, w1[0]! * 1 + w1[1]! * 3, w1[0]! * 2 + w1[1]! * 4];
    Array.from(out!.dataSync()).forEach((o, i) => expect(o).toBeCloseTo(expectedOut[i]!, 5));
    tf.dispose([q, v, valueMask, out!, weights!]);
  });

  it('keeps predictions through a Strata .keras save → load, with call kwargs and scores written as Keras does', async () => {
    setRandomSeed(11);
    const q = Input([4, 3]);
    const v = Input([6, 3]);
    const [out, scores] = new Attention({ useScale: true, scoreMode: 'concat' }).applyMulti([q, v, v], {
      kwargs: { useCausalMask: true, returnAttentionScores: true },
    });
    const model = new Model({ inputs: [q, v], outputs: [out!, scores!] });
    expect(model.outputs.map((t) => t.shape)).toEqual([
      [null, 4, 3],
      [null, 4, 6],
    ]);
    model.layers[2]!.weights.forEach((w) => w.assign(tf.scalar(1.7)));
    const path = join(dir, 'attention.keras');
    await saveModel(model, path);
    const reloaded = await loadModel(path);
    const xs = [tf.randomNormal([2, 4, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 6, 3], 0, 1, 'float32', 2)];
    const [a, b] = [model.predict(xs) as tf.Tensor[], reloaded.predict(xs) as tf.Tensor[]];
    expect(a.map((t, i) => maxAbsDiff(t, b[i]!))).toEqual([0, 0]);
    const json = JSON.parse(modelToKerasJson(reloaded)) as {
      config: {
        layers: {
          class_name: string;
          config: Record<string, unknown>;
          inbound_nodes: { args: unknown[]; kwargs: unknown }[];
        }[];
      };
    };
    const layer = json.config.layers.find((l) => l.class_name === 'Attention')!;
    expect(layer.config).toMatchObject({ use_scale: true, score_mode: 'concat', dropout: 0, seed: null });
    expect(layer.inbound_nodes[0]!.args).toHaveLength(1); // one list [query, value, key], as Keras
    expect(layer.inbound_nodes[0]!.kwargs).toEqual({ use_causal_mask: true, return_attention_scores: true });
    tf.dispose([...xs, ...a, ...b]);
    model.dispose();
    reloaded.dispose();
  });

  it('trains (gradients reach scale and concat weight; dropout in training) without leaking tensors', async () => {
    setRandomSeed(12);
    const q = Input([4, 3]);
    const v = Input([5, 3]);
    const layer = new Attention({ useScale: true, scoreMode: 'concat', dropout: 0.2, seed: 3 });
    const model = new Model({ inputs: [q, v], outputs: new GlobalAveragePooling1D().apply(layer.apply([q, v])) });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const xs = [tf.randomNormal([8, 4, 3], 0, 1, 'float32', 4), tf.randomNormal([8, 5, 3], 0, 1, 'float32', 5)];
    const y = tf.randomNormal([8, 3], 0, 1, 'float32', 6);
    const before = layer.getWeights();
    await model.fit(xs, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const baseline = tf.memory().numTensors;
    await model.fit(xs, y, { epochs: 3, batchSize: 4, verbose: 0 });
    expect(tf.memory().numTensors).toBe(baseline);
    const after = layer.getWeights();
    before.forEach((w, i) => expect(maxAbsDiff(w, after[i]!)).toBeGreaterThan(0));
    tf.dispose([...xs, y, ...before, ...after]);
    model.dispose();
  });

  it('passes the query mask to the output only, not to the returned scores (as Keras)', () => {
    const q = tf.ones([1, 2, 2]);
    const queryMask = tf.tensor2d([[true, false]], [1, 2], 'bool');
    for (const layer of [new Attention(), new AdditiveAttention(), new MultiHeadAttention(1, 2)]) {
      expect(layer.computeMask([q, q], [queryMask, null], {})).toBe(queryMask);
      expect(layer.computeMask([q, q], [queryMask, null], { kwargs: { returnAttentionScores: true } })).toEqual([
        queryMask,
        null,
      ]);
    }
    tf.dispose([q, queryMask]);
  });

  it('refuses bad options and inputs with clear errors', () => {
    expect(() => new Attention({ scoreMode: 'cosine' as never })).toThrow(
      /invalid scoreMode "cosine"; valid choices: "dot", "concat"/,
    );
    expect(() => new Attention({ name: 'att_bad' }).apply(Input([3, 4]))).toThrow(
      /att_bad.*list \[query, value\] or \[query, value, key\]/,
    );
    expect(() => new Attention().apply([Input([3, 4]), Input([5, 2])])).toThrow(/same last dimension/);
    expect(() => new Attention().apply([Input([3, 4]), Input([5, 4])], { kwargs: { attentionMask: null } })).toThrow(
      /takes no keyword argument "attentionMask"/,
    );
  });
});
