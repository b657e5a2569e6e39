/**
 * A tf.keras 2 Conv3D → MaxPooling3D model on the WASM and the CPU backend (switched in-process):
 * TF.js 4.22's WASM MaxPool3D pooled windows of negative values to 1.2e-38, so such models predicted
 * wrong on the default backend. Fixture and NumPy reference: fixtures/conv3d-maxpool3d-tf-keras2.fixture.py.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from './index.js';

const fixture = new URL('./fixtures/conv3d-maxpool3d-tf-keras2.h5', import.meta.url).pathname;
const expected = JSON.parse(
  readFileSync(new URL('./fixtures/conv3d-maxpool3d-tf-keras2.expected.json', import.meta.url), 'utf8'),
) as {
  input_shape: number[];
  input: number[];
  output_shape: number[];
  output: number[];
  negative_outputs: number;
};

describe('tf.keras 2 Conv3D → MaxPooling3D with negative windows', () => {
  const initial = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(initial);
  });

  it.each(['wasm', 'cpu'] as const)('predicts the NumPy reference on %s', async (backend) => {
    expect(expected.negative_outputs).toBeGreaterThan(0);
    await tf.setBackend(backend);
    const model = await loadModel(fixture);
    const x = tf.tensor(expected.input, expected.input_shape);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual(expected.output_shape);
    const values = y.dataSync();
    let worst = 0;
    expected.output.forEach((v, i) => (worst = Math.max(worst, Math.abs(values[i]! - v))));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });
});
