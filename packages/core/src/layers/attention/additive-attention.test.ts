import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { kerasWeightSlots, modelFromKerasJson, modelToKerasJson } from '../../saving/index.js';
import { AdditiveAttention } from './additive-attention.js';
import { FIXTURES, fixtureCase, goldenDiffs } from './golden-case.test-suite.js';

describe('AdditiveAttention', () => {
  it('computes softmax(sum(scale · tanh(q + k)))·v by hand', () => {
    const layer = new AdditiveAttention();
    const q = tf.tensor3d([[[0.5, -1]]]);
    const v = tf.tensor3d([
      [
        [1, 2],
        [3, -4],
      ],
    ]);
    layer.maybeBuild([q.shape, v.shape]);
    layer.scale!.assign(tf.tensor1d([2, 0.5]));
    const out = layer.apply([q, v]);
    const score = (k: number[]): number => 2 * Math.tanh(0.5 + k[0]!) + 0.5 * Math.tanh(-1 + k[1]!);
    const [s0, s1] = [score([1, 2]), score([3, -4])];
    const w0 = 1 / (1 + Math.exp(s1 - s0));
    const expected = [w0 * 1 + (1 - w0) * 3, w0 * 2 + (1 - w0) * -4];
    Array.from(out.dataSync()).forEach((o, i) => expect(o).toBeCloseTo(expected[i]!, 5));
    tf.dispose([q, v, out]);
    layer.dispose();
  });

  it('has a (dim,) scale unless useScale is false, stored where Keras stores it; its config has no score_mode', () => {
    const q = Input([5, 8]);
    const v = Input([7, 8]);
    const scaled = new AdditiveAttention();
    const plain = new AdditiveAttention({ useScale: false });
    const model = new Model({ inputs: [q, v], outputs: [scaled.apply([q, v]), plain.apply([q, v])] });
    expect(scaled.weights.map((w) => [w.name, w.shape])).toEqual([['scale', [8]]]);
    expect(plain.weights).toEqual([]);
    const slots = kerasWeightSlots(model)
      .filter((s) => s.variables.length > 0)
      .map((s) => s.path);
    expect(slots).toEqual(['layers/additive_attention']);
    const config = scaled.kerasConfig();
    expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'use_scale', 'dropout', 'seed']);
    const copy = modelFromKerasJson(modelToKerasJson(model));
    expect(modelToKerasJson(copy)).toBe(modelToKerasJson(model));
    copy.dispose();
    model.dispose();
  });

  it('loads the Keras fixture with use_scale=False (attention_variants output 4)', async () => {
    const c = fixtureCase('attention_variants');
    const diffs = await goldenDiffs(join(FIXTURES, c.name), 'model.keras', c.inputs, c.outputs);
    expect(diffs[4]).toBeLessThanOrEqual(1e-5);
  });
});
