/**
 * tf.keras 2 files whose layer names contain "/" (published audio models: `layer1/conv`), in a
 * nested model and at the top level. Keras 3 refuses such names; the Keras that wrote them loaded
 * them, so Strata loads them with the names sanitised ("/" → "_"), says so in one warning naming
 * old → new, and still finds the weights (the legacy .h5 stores them under the old names).
 * Fixture: fixtures/slash-names-tf-keras2.h5, written by slash-names-tf-keras2.fixture.py with
 * h5py in tf.keras 2.15's layout, with outputs from an independent NumPy forward pass.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Functional } from '../engine/functional.js';
import { loadModel } from './index.js';

const fixture = new URL('./fixtures/slash-names-tf-keras2.h5', import.meta.url).pathname;
const expected = JSON.parse(
  readFileSync(new URL('./fixtures/slash-names-tf-keras2.expected.json', import.meta.url), 'utf8'),
) as {
  input_shape: number[];
  input: number[];
  output_shape: number[];
  output: number[];
};

describe('tf.keras 2 layer names containing "/"', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('loads with sanitised names, warns old → new, finds every weight and predicts as the NumPy reference', async () => {
    const before = tf.memory().numTensors;
    const model = await loadModel(fixture);
    const names = model.layers.map((l) => l.name);
    expect(names).toEqual(['input_1', 'features', 'pool', 'logits_dense']);
    const features = model.getLayer('features') as Functional;
    expect(features.layers.map((l) => l.name)).toEqual([
      'input_2',
      'layer1_conv',
      'layer1_bn',
      'layer1_relu',
      'layer2_conv',
    ]);
    const messages = warn.mock.calls.map((c) => String(c[0]));
    const renameWarnings = messages.filter((m) => m.includes('"/"'));
    expect(renameWarnings).toHaveLength(1);
    for (const [from, to] of [
      ['layer1/conv', 'layer1_conv'],
      ['layer1/bn', 'layer1_bn'],
      ['layer1/relu', 'layer1_relu'],
      ['layer2/conv', 'layer2_conv'],
      ['logits/dense', 'logits_dense'],
    ]) {
      expect(renameWarnings[0]).toContain(`"${from}" → "${to}"`);
    }
    // Compiled from its tf.keras 2.13-style training_config (Custom>Adam, reduction "auto").
    expect(model.compiled).toBe(true);
    const x = tf.tensor(expected.input, expected.input_shape);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual(expected.output_shape);
    const values = y.dataSync();
    expected.output.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 4));
    tf.dispose([x, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
