/**
 * The relu gradient kernel gives, float for float, what TF.js's `mul(dy, step(y))` gives on the
 * cpu backend (NaN where y is NaN, ±0 or NaN where y ≤ 0), on wasm (SIMD, with a scalar tail) and
 * on cpu, for sizes with and without a tail and large enough for the tile pool; it leaks nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../select.js';
import { simdKernelsFor } from '../wasm-kernels/simd-kernels.js';
import { asWasmBackend } from '../wasm-kernels/wasm-backend.js';
import { RELU_GRAD, reluGrad } from './relu-grad.js';

const SPECIAL = [0, -0, 1, -1, 2.5e-40, -2.5e-40, Infinity, -Infinity, Number.NaN, 3.5, -7.25];

/** dy and y: every pair of special values first, then seeded values in [-1, 1). */
function operands(size: number): [Float32Array, Float32Array] {
  const dy = new Float32Array(size);
  const y = new Float32Array(size);
  let state = 12345;
  const next = (): number => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < size; i++) {
    const pair = i < SPECIAL.length ** 2;
    dy[i] = pair ? SPECIAL[Math.floor(i / SPECIAL.length)]! : next();
    y[i] = pair ? SPECIAL[i % SPECIAL.length]! : next();
  }
  return [dy, y];
}

/** TF.js's two ops on the cpu backend. */
async function reference(dy: Float32Array, y: Float32Array): Promise<Float32Array> {
  await initBackend('cpu');
  return tf.tidy(() => tf.mul(tf.tensor(dy), tf.step(tf.tensor(y))).dataSync() as Float32Array);
}

describe('the relu gradient kernel', () => {
  let original: BackendName;
  beforeAll(async () => {
    original = await initBackend();
  });
  afterAll(async () => {
    await initBackend(original);
  });

  for (const size of [SPECIAL.length ** 2, 1031, 300_003]) {
    for (const backendName of ['wasm', 'cpu'] as const) {
      it(`${backendName}, ${size} elements: TF.js's mul(dy, step(y)) exactly, in one kernel`, async () => {
        const [dy, y] = operands(size);
        const expected = await reference(dy, y);
        await initBackend(backendName);
        // On wasm the SIMD loop must be what runs (the JavaScript loop only takes the tail).
        if (backendName === 'wasm') expect(simdKernelsFor(asWasmBackend(tf.backend(), RELU_GRAD))).not.toBeNull();
        const before = tf.memory().numTensors;
        const [dyT, yT] = [tf.tensor(dy, [size]), tf.tensor(y, [size])];
        const info = await tf.profile(() => tf.dispose(reluGrad(dyT, yT)));
        expect(info.kernels.map((k) => k.name)).toEqual([RELU_GRAD]);
        const got = tf.tidy(() => reluGrad(dyT, yT).dataSync() as Float32Array);
        tf.dispose([dyT, yT]);
        expect(tf.memory().numTensors).toBe(before);
        expect(
          got.findIndex((v, i) => !Object.is(v, expected[i])),
          'first element differing from mul(dy, step(y))',
        ).toBe(-1);
      });
    }
  }

  it('names both tensors when their shapes differ', async () => {
    await initBackend('wasm');
    const [dy, y] = [tf.zeros([2, 3]), tf.zeros([3, 2])];
    expect(() => reluGrad(dy, y)).toThrow(
      /StrataReluGrad: dy and y must be float32 tensors of one shape; got dy float32 \[2, 3\], y float32 \[3, 2\]/,
    );
    tf.dispose([dy, y]);
  });
});
