/**
 * End to end: gradients through the public ops on wasm (which route through the registered
 * kernels) equal the cpu backend's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, prepareBackends, seededInts, seededValues } from './test-support.test-suite.js';

type GradCase = (inputs: tf.Tensor[]) => tf.Scalar;

async function gradsOn(
  backendName: 'cpu' | 'wasm',
  f: GradCase,
  shapes: number[][],
  seed: number,
  intInput?: number,
): Promise<{ grads: Float32Array[]; leaked: number; leakedDataIds: number }> {
  await tf.setBackend(backendName);
  const before = tf.memory().numTensors;
  const dataIdsBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const inputs = shapes.map((shape, i) =>
    i === intInput
      ? tf.tensor(
          seededInts(
            shape.reduce((a, b) => a * b, 1),
            seed + i,
            0,
            6,
          ),
          shape,
          'int32',
        )
      : tf.tensor(
          seededValues(
            shape.reduce((a, b) => a * b, 1),
            seed + i,
          ),
          shape,
        ),
  );
  const differentiable = inputs.filter((_, i) => i !== intInput);
  const grads = tf.grads((...xs: tf.Tensor[]) => {
    let k = 0;
    return f(inputs.map((t, i) => (i === intInput ? t : (xs[k++] as tf.Tensor))));
  })(differentiable);
  const values = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([...grads, ...inputs]);
  const dataIdsAfter = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  return { grads: values, leaked: tf.memory().numTensors - before, leakedDataIds: dataIdsAfter - dataIdsBefore };
}

async function expectSameGradients(
  label: string,
  f: GradCase,
  shapes: number[][],
  seed: number,
  intInput?: number,
): Promise<void> {
  const wasm = await gradsOn('wasm', f, shapes, seed, intInput);
  const cpu = await gradsOn('cpu', f, shapes, seed, intInput);
  expect(wasm.grads.length).toBe(cpu.grads.length);
  wasm.grads.forEach((g, i) => expectClose(g, cpu.grads[i] as Float32Array, 1e-4, `${label} grad ${i}`));
  expect(wasm.leaked, `${label}: leaked tensors on wasm`).toBe(0);
  expect(wasm.leakedDataIds, `${label}: leaked wasm data ids`).toBe(0);
}

/** A loss that weights every output element differently, so every gradient entry matters. */
function weightedSum(y: tf.Tensor): tf.Scalar {
  const w = tf.tensor(seededValues(y.size, 4242), y.shape);
  return tf.sum(tf.mul(y, w));
}

describe('gradients on wasm equal cpu', () => {
  beforeAll(prepareBackends);

  for (const [strides, pad] of [
    [1, 'valid'],
    [2, 'same'],
  ] as const) {
    it(`conv2d (strides=${strides}, pad=${pad})`, async () => {
      await expectSameGradients(
        'conv2d',
        ([x, w]) => weightedSum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad)),
        [
          [3, 9, 8, 2],
          [3, 3, 2, 5],
        ],
        1,
      );
    });
    it(`depthwiseConv2d (strides=${strides}, pad=${pad}, multiplier 2)`, async () => {
      await expectSameGradients(
        'depthwiseConv2d',
        ([x, w]) => weightedSum(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad)),
        [
          [2, 9, 7, 3],
          [3, 3, 3, 2],
        ],
        2,
      );
    });
    it(`separableConv2d (strides=${strides}, pad=${pad})`, async () => {
      await expectSameGradients(
        'separableConv2d',
        ([x, dw, pw]) =>
          weightedSum(tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, strides, pad)),
        [
          [2, 8, 8, 3],
          [3, 3, 3, 2],
          [1, 1, 6, 4],
        ],
        3,
      );
    });
  }

  // NCHW is covered at kernel level only: the wasm backend's forward Conv2D rejects channelsFirst.

  it('gather (Embedding lookup) with repeated indices', async () => {
    await expectSameGradients(
      'gather',
      ([table, ids]) => weightedSum(tf.gather(table as tf.Tensor2D, ids as tf.Tensor)),
      [
        [6, 5],
        [4, 3],
      ],
      6,
      1,
    );
  });

  it('gather along axis 1', async () => {
    await expectSameGradients(
      'gather-axis1',
      ([table, ids]) => weightedSum(tf.gather(table as tf.Tensor, ids as tf.Tensor, 1)),
      [[3, 6, 2], [5]],
      7,
      1,
    );
  });

  // TF.js registers no gradient for Einsum; check the forward op path (array inputs) instead.
  it('tf.einsum forward (attention scores)', async () => {
    const run = async (name: 'cpu' | 'wasm'): Promise<Float32Array> => {
      await tf.setBackend(name);
      const q = tf.tensor(seededValues(24, 81), [2, 3, 4]);
      const k = tf.tensor(seededValues(40, 82), [2, 5, 4]);
      const y = tf.einsum('bqd,bkd->bqk', q, k);
      const values = y.dataSync() as Float32Array;
      tf.dispose([q, k, y]);
      return values;
    };
    expectClose(await run('wasm'), await run('cpu'), 1e-4, 'einsum');
  });
});
