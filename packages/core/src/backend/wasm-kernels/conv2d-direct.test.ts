/**
 * The direct convolution over few input channels gives exactly its summation order's floats (the
 * bias or 0, then every window value in (kh, kw, c) order, fused or not as the tiles are; relu
 * last) for Conv2D and FusedConv2D, with padding, strides and an odd number of windows per row;
 * the cpu backend's and XNNPACK's numbers within float32 rounding; leaks nothing; and leaves
 * what it does not cover to the next formulation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { registerWasmRowShiftConv2D, withoutRowShiftConv2D } from './conv2d-by-row-shifts.js';
import { conv2dDirect } from './conv2d-direct.js';
import {
  dotTerm,
  expectExactWasmKernel,
  prepareBackends,
  randomTensor,
  takesConvolution,
  type HostTensor,
  type ConvPad as Pad,
  type Shape4,
  type ConvActivation as Activation,
} from './test-support.test-suite.js';

/** [label, input shape, filter shape, stride, padding, activation ('none': plain Conv2D), bias?] */
const COVERED: [string, Shape4, Shape4, number, Pad, Activation, boolean][] = [
  ['MNIST first layer 28×28×1 → 26×26×32, bias and relu', [3, 28, 28, 1], [3, 3, 1, 32], 1, 'valid', 'relu', true],
  ['the same as a plain Conv2D', [2, 28, 28, 1], [3, 3, 1, 32], 1, 'valid', 'none', false],
  ['3 channels, same, stride 2, odd windows per row', [2, 9, 7, 3], [3, 3, 3, 16], 2, 'same', 'linear', true],
  ['5×5 over 2 channels, same, relu without bias', [2, 8, 9, 2], [5, 5, 2, 48], 1, 'same', 'relu', false],
];

/** y in the loop's order (see the module comment). */
function reference(
  x: HostTensor,
  filter: HostTensor,
  bias: HostTensor | null,
  stride: number,
  pad: Pad,
  relu: boolean,
): Float32Array {
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, stride, 1, pad);
  const [batch, height, width, ci] = x.shape as Shape4;
  const [kh, kw, , co] = filter.shape as Shape4;
  const term = dotTerm(fusedMultiplyAdd());
  const out = new Float32Array(batch * info.outHeight * info.outWidth * co);
  for (let n = 0; n < batch; n++)
    for (let oh = 0; oh < info.outHeight; oh++)
      for (let ow = 0; ow < info.outWidth; ow++)
        for (let o = 0; o < co; o++) {
          let total = bias === null ? 0 : bias.values[o]!;
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++)
              for (let c = 0; c < ci; c++) {
                const ih = oh * stride + a - info.padInfo.top;
                const iw = ow * stride + b - info.padInfo.left;
                const inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
                const value = inside ? x.values[((n * height + ih) * width + iw) * ci + c]! : 0;
                total = term(value, filter.values[((a * kw + b) * ci + c) * co + o]!, total);
              }
          out[((n * info.outHeight + oh) * info.outWidth + ow) * co + o] = relu ? Math.max(total, 0) : total;
        }
  return out;
}

describe('Conv2D and FusedConv2D over few input channels by the direct loop (wasm)', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmRowShiftConv2D();
  });

  COVERED.forEach(([label, xShape, filterShape, stride, pad, activation, withBias], c) => {
    it(`${label}: the loop's floats exactly, cpu's and XNNPACK's within rounding, no leaks`, async () => {
      const x = randomTensor(xShape, 80 + 3 * c);
      const filter = randomTensor(filterShape, 81 + 3 * c);
      const bias = withBias ? randomTensor([filterShape[3]], 82 + 3 * c) : null;
      const fused = activation !== 'none';
      const kernel = fused ? 'FusedConv2D' : 'Conv2D';
      const inputs = { x, filter, ...(bias === null ? {} : { bias }) };
      const attrs = { strides: stride, pad, dataFormat: 'NHWC', dilations: 1, ...(fused ? { activation } : {}) };
      const expected = reference(x, filter, bias, stride, pad, activation === 'relu');
      await expectExactWasmKernel(label, kernel, inputs, attrs, expected, {
        name: 'XNNPACK',
        without: (call) => withoutRowShiftConv2D(call),
      });
    });
  });

  it('leaves long window rows, narrow outputs, dilations and NCHW to the others', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const takes = (xShape: Shape4, filterShape: Shape4, attrs: Record<string, unknown>): boolean =>
      takesConvolution(conv2dDirect, xShape, filterShape, attrs);
    expect(takes([1, 9, 9, 8], [3, 3, 8, 16], {}), 'KW·C = 24: row-shift products').toBe(false);
    expect(takes([1, 9, 9, 1], [3, 3, 1, 8], {}), '8 output channels').toBe(false);
    expect(takes([1, 9, 9, 1], [3, 3, 1, 16], { dilations: 2 }), 'dilation 2').toBe(false);
    expect(takes([1, 9, 9, 1], [3, 3, 1, 16], { dataFormat: 'NCHW' }), 'NCHW').toBe(false);
    expect(takes([1, 9, 9, 1], [3, 3, 1, 16], { strides: 2 }), 'stride 2, 1 channel').toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
