/**
 * Every pooling layer (1-D/2-D/3-D max and average, global, `valid`/`same`, strides, both data
 * formats) on the WASM and the CPU backend, against real Keras 3 (pooling-keras.golden.json, made by
 * pooling-keras.golden.py), on all-negative and mixed-sign inputs, outputs and input gradients.
 * TF.js 4.22's WASM MaxPool3D started its running maximum at FLT_MIN, so windows of negative
 * values came out as 1.2e-38 — these cases catch any kernel with that kind of bug.
 *
 * Uneven `same` average pooling follows Keras's TensorFlow/JAX backends (and tf.keras 2): padded
 * positions are not counted. Keras's PyTorch backend, which made these goldens, replicates the edge
 * there instead; the golden script records such cases with `torch_backend_differs` and takes
 * their expected output from its NumPy reimplementation of the TensorFlow rule.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCpuCorrectnessFixes } from '../../backend/cpu-kernels/max-pool-3d-grad.js';
import {
  registerWasmCorrectnessFixes,
  registerWasmSpeedFixes,
  registerWasmTrainingKernels,
} from '../../backend/wasm-kernels/index.js';
import { configToCamel } from '../../utils/config-case.js';
import { layerFromConfig } from '../../engine/registry.js';
import './index.js';

interface GoldenCase {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  input_shape: number[];
  input: number[];
  output_shape: number[];
  output: number[];
  /** Keras's gradient of sum(output · (1, 2, 3, …)) with respect to the input (absent where the backends differ). */
  grad?: number[];
  torch_backend_differs?: boolean;
  keras_torch_output?: number[];
}
const golden = JSON.parse(readFileSync(new URL('./pooling-keras.golden.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    // NaN must count as a failure, not vanish in Math.max.
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** Forward output and the gradient of sum(y · weights) with respect to the input, on `backend`. */
async function runCase(
  backend: 'cpu' | 'wasm',
  c: GoldenCase,
): Promise<{ y: Float32Array; shape: number[]; dx: Float32Array; leaked: number }> {
  await tf.setBackend(backend);
  const layer = layerFromConfig(c.class_name, configToCamel(c.config));
  const x = tf.tensor(c.input, c.input_shape);
  const before = tf.memory().numTensors;
  const y = layer.apply(x) as tf.Tensor;
  // Distinct weights per output so a gradient routed to the wrong input position shows.
  const weights = tf.tidy(() => tf.add(tf.reshape(tf.range(0, y.size), y.shape), 1));
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, weights)))(x);
  const out = { y: y.dataSync() as Float32Array, shape: y.shape, dx: dx.dataSync() as Float32Array };
  tf.dispose([y, weights, dx]);
  const leaked = tf.memory().numTensors - before;
  x.dispose();
  return { ...out, leaked };
}

describe('pooling layers on wasm and cpu match real Keras 3 (all-negative windows included)', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    registerWasmTrainingKernels();
    registerWasmSpeedFixes();
    registerWasmCorrectnessFixes();
    registerCpuCorrectnessFixes();
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('has negative cases for every layer class', () => {
    const negative = new Set(golden.cases.filter((c) => c.name.includes('negative')).map((c) => c.class_name));
    expect(negative.size).toBe(12);
  });

  it("records where Keras's PyTorch backend differs (uneven same average pooling only)", () => {
    const differs = golden.cases.filter((c) => c.torch_backend_differs === true);
    expect(differs.length).toBeGreaterThan(0);
    for (const c of differs) {
      expect(c.class_name).toMatch(/^AveragePooling/);
      expect(c.config['padding']).toBe('same');
      expect(maxAbsDiff(c.keras_torch_output!, c.output)).toBeGreaterThan(1e-3);
    }
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const wasm = await runCase('wasm', c);
    const cpu = await runCase('cpu', c);
    for (const [label, run] of [
      ['wasm', wasm],
      ['cpu', cpu],
    ] as const) {
      expect(run.shape, `${label} shape`).toEqual(c.output_shape);
      expect(maxAbsDiff(run.y, c.output), `${label} output vs Keras`).toBeLessThan(1e-5);
      expect(run.leaked, `${label} leaked tensors`).toBe(0);
    }
    if (c.grad !== undefined) {
      expect(maxAbsDiff(wasm.dx, c.grad), 'wasm gradient vs Keras').toBeLessThan(1e-3);
      expect(maxAbsDiff(cpu.dx, c.grad), 'cpu gradient vs Keras').toBeLessThan(1e-3);
    } else {
      expect(maxAbsDiff(wasm.dx, cpu.dx), 'wasm gradient vs cpu').toBeLessThan(1e-4);
    }
  });
});
