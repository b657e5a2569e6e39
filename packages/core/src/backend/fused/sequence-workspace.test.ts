/**
 * The workspace's products, which the time loops of the sequence kernels run: on wasm, right
 * operands whose width is a multiple of 16 go through Strata's panel product (packed once per
 * buffer), others through the backend's BatchMatMul; both equal the cpu workspace's plain loop
 * and `tf.matMul`, for odd and even row counts, and reusing a packed operand gives the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { seededValues } from '../wasm-kernels/test-support.test-suite.js';
import { sequenceWorkspace, type FusedBackend, type SequenceWorkspace } from './sequence-workspace.js';

const SHAPES: [number, number, number][] = [
  [32, 64, 256], // an LSTM step's recurrent product
  [7, 16, 32], // odd rows: the last row takes the 1×16 tile
  [1, 5, 16],
  [6, 12, 20], // a width that is not a multiple of 16: BatchMatMul
];

/** a·b (twice, the second time with b's packed panels reused) on `backendName`'s workspace. */
function products(backendName: FusedBackend, [m, k, n]: [number, number, number]): Float32Array[] {
  const ws: SequenceWorkspace = sequenceWorkspace(backendName, tf.backend(), 'test');
  try {
    const [a, b, out] = [ws.alloc([m, k]), ws.alloc([k, n]), ws.alloc([m, n])];
    ws.view(a).set(seededValues(m * k, 1));
    ws.view(b).set(seededValues(k * n, 2));
    ws.view(out).fill(Number.NaN); // a product overwrites its output
    ws.matmul(a, b, out);
    const first = Float32Array.from(ws.view(out));
    ws.view(a).set(seededValues(m * k, 3));
    ws.matmul(a, b, out);
    return [first, Float32Array.from(ws.view(out))];
  } finally {
    ws.dispose();
  }
}

describe('sequence workspace products', () => {
  const initial = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(initial);
  });

  for (const shape of SHAPES) {
    it(`[${shape[0]}, ${shape[1]}] × [${shape[1]}, ${shape[2]}]: wasm equals cpu and tf.matMul`, async () => {
      const [m, k, n] = shape;
      await tf.setBackend('cpu');
      const onCpu = products('cpu', shape);
      const expected = [1, 3].map((seed) =>
        tf.tidy(() =>
          tf
            .matMul(tf.tensor2d(seededValues(m * k, seed), [m, k]), tf.tensor2d(seededValues(k * n, 2), [k, n]))
            .dataSync(),
        ),
      );
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const onWasm = products('wasm', shape);
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < 2; i++) {
        const tolerance = 1e-5 * k;
        for (const [got, want] of [
          [onWasm[i]!, onCpu[i]!],
          [onWasm[i]!, expected[i]!],
        ] as const) {
          expect(got.length).toBe(m * n);
          got.forEach((v, j) => expect(Math.abs(v - want[j]!)).toBeLessThanOrEqual(tolerance));
        }
      }
    });
  }
});
