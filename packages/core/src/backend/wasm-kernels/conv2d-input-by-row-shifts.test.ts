/**
 * The row-shift input gradient gives exactly its summation order's floats (filter rows in order,
 * one in-order dot product per filter row over its taps from the last column to the first and the
 * dy channels, fused or not as the tiles are) for valid, same and asymmetric geometries, the cpu
 * backend's numbers within float32 rounding, leaks
 * nothing, and leaves the geometries it does not cover to the forward formulation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { conv2dInputByRowShifts } from './conv2d-input-by-row-shifts.js';
import { registerWasmFastConv2DBackpropInput, withoutRowShifts } from './fast-conv2d-backprop-input.js';
import {
  dotTerm,
  expectExactWasmKernel,
  prepareBackends,
  randomTensor,
  type HostTensor,
  type ConvPad as Pad,
  type Shape4,
} from './test-support.test-suite.js';
import { asWasmBackend } from './wasm-backend.js';

/** [label, input shape, filter shape, padding] of gradients the taps cover. */
const COVERED: [string, Shape4, Shape4, Pad][] = [
  ['MNIST convnet 13×13×32 ← 11×11×64, valid', [3, 13, 13, 32], [3, 3, 32, 64], 'valid'],
  ['3×3 same (cropped full output)', [2, 7, 6, 16], [3, 3, 16, 8], 'same'],
  ['5×3 same, odd sizes', [2, 9, 5, 16], [5, 3, 16, 12], 'same'],
  ['1×1 (no padded rows, no crop)', [2, 4, 5, 32], [1, 1, 32, 4], 'valid'],
  ['2×2 valid, 48 channels, 19 images (several blocks)', [19, 5, 6, 48], [2, 2, 48, 4], 'valid'],
];

/** dx in the products' order: per element and filter row, one dot product (by `term`) over kw = KW − 1 … 0 and O, added to the total. */
function reference(dy: HostTensor, filter: HostTensor, inputShape: Shape4, pad: Pad): Float32Array {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, 1, 1, pad);
  const [batch, height, width, ci] = inputShape;
  const [kh, kw, , co] = filter.shape as Shape4;
  const term = dotTerm(fusedMultiplyAdd());
  const out = new Float32Array(batch * height * width * ci);
  for (let n = 0; n < batch; n++)
    for (let ih = 0; ih < height; ih++)
      for (let iw = 0; iw < width; iw++)
        for (let i = 0; i < ci; i++) {
          let total = 0;
          for (let a = 0; a < kh; a++) {
            let dot = 0;
            for (let b = kw - 1; b >= 0; b--) {
              const oh = ih + info.padInfo.top - a;
              const ow = iw + info.padInfo.left - b;
              if (oh < 0 || oh >= info.outHeight || ow < 0 || ow >= info.outWidth) continue; // zeros
              const dyAt = ((n * info.outHeight + oh) * info.outWidth + ow) * co;
              const wAt = ((a * kw + b) * ci + i) * co;
              for (let o = 0; o < co; o++) dot = term(dy.values[dyAt + o]!, filter.values[wAt + o]!, dot);
            }
            total = Math.fround(total + dot);
          }
          out[((n * height + ih) * width + iw) * ci + i] = total;
        }
  return out;
}

function inputs(inputShape: Shape4, filterShape: Shape4, pad: Pad, seed: number) {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, pad);
  const dy = randomTensor([inputShape[0], info.outHeight, info.outWidth, filterShape[3]], seed);
  const filter = randomTensor(filterShape, seed + 1);
  return { dy, filter, attrs: { strides: 1, pad, dataFormat: 'NHWC', inputShape } };
}

describe('Conv2DBackpropInput by row-shift products (wasm)', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastConv2DBackpropInput();
  });

  COVERED.forEach(([label, inputShape, filterShape, pad], c) => {
    it(`${label}: the products' floats exactly, cpu's within rounding, no leaks`, async () => {
      const { dy, filter, attrs } = inputs(inputShape, filterShape, pad, 40 + 2 * c);
      const expected = reference(dy, filter, inputShape, pad);
      const wasm = await expectExactWasmKernel(label, 'Conv2DBackpropInput', { dy, filter }, attrs, expected, {
        name: 'the forward formulation',
        without: (call) => withoutRowShifts(call),
      });
      expect(wasm.shape).toEqual(inputShape);
    });
  });

  it('leaves strides, channel counts it does not cover and NCHW to the other formulations', async () => {
    await tf.setBackend('wasm');
    const backend = asWasmBackend(tf.backend(), 'Conv2DBackpropInput');
    /** Whether the row shifts take this gradient (a result they give is freed at once). */
    const check = (inputShape: Shape4, filterShape: Shape4, strides: number, dataFormat: string): boolean => {
      const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, 'valid');
      const dy = tf.zeros([inputShape[0], info.outHeight, info.outWidth, filterShape[3]]);
      const filter = tf.zeros(filterShape);
      const result = conv2dInputByRowShifts(backend, dy, filter, { strides, pad: 'valid', dataFormat, inputShape });
      if (result !== null) backend.disposeData(result.dataId);
      tf.dispose([dy, filter]);
      return result !== null;
    };
    const before = tf.memory().numTensors;
    expect(check([1, 9, 9, 16], [3, 3, 16, 4], 2, 'NHWC'), 'stride 2').toBe(false);
    expect(check([1, 9, 9, 8], [3, 3, 8, 4], 1, 'NHWC'), '8 input channels').toBe(false);
    expect(check([1, 9, 9, 16], [3, 3, 16, 5], 1, 'NHWC'), '5 output channels').toBe(false);
    expect(check([1, 9, 9, 16], [3, 3, 16, 4], 1, 'NCHW'), 'NCHW').toBe(false);
    expect(check([1, 9, 9, 16], [3, 3, 16, 4], 1, 'NHWC'), 'stride 1, 16 channels').toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
