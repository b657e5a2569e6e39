/**
 * The row-shift convolution gives exactly its summation order's floats (the bias or 0, then per
 * filter row in order one in-order dot product over its taps and channels, fused or not as the
 * tiles are; relu last) for Conv2D and FusedConv2D, valid, same and asymmetric geometries; the cpu
 * backend's numbers within float32 rounding; leaks nothing; and leaves what it does not cover to
 * XNNPACK.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { conv2dByRowShifts, registerWasmRowShiftConv2D, withoutRowShiftConv2D } from './conv2d-by-row-shifts.js';
import {
  dotTerm,
  expectClose,
  expectExactWasmKernel,
  prepareBackends,
  randomTensor,
  takesConvolution,
  runOn,
  type HostTensor,
  type ConvPad as Pad,
  type Shape4,
  type ConvActivation as Activation,
} from './test-support.test-suite.js';

/** [label, input shape, filter shape, padding, activation ('none': plain Conv2D), bias?] */
const COVERED: [string, Shape4, Shape4, Pad, Activation, boolean][] = [
  ['MNIST convnet 13×13×32 → 11×11×64, Conv2D', [3, 13, 13, 32], [3, 3, 32, 64], 'valid', 'none', false],
  ['the same, fused with bias and relu (predict)', [3, 13, 13, 32], [3, 3, 32, 64], 'valid', 'relu', true],
  ['3×3 same (padded input), fused linear with bias', [2, 7, 6, 8], [3, 3, 8, 16], 'same', 'linear', true],
  ['5×3 same, odd sizes, relu without bias', [2, 9, 5, 16], [5, 3, 16, 32], 'same', 'relu', false],
  ['1×1 over 16 channels (no wide columns), relu in place', [2, 4, 5, 16], [1, 1, 16, 16], 'valid', 'relu', true],
  ['2×2 valid, 19 images (several blocks)', [19, 5, 6, 12], [2, 2, 12, 48], 'valid', 'none', false],
];

/** y in the products' order (see the module comment). */
function reference(x: HostTensor, filter: HostTensor, bias: HostTensor | null, pad: Pad, relu: boolean): Float32Array {
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, 1, 1, pad);
  const [batch, height, width, ci] = x.shape as Shape4;
  const [kh, kw, , co] = filter.shape as Shape4;
  const term = dotTerm(fusedMultiplyAdd());
  const out = new Float32Array(batch * info.outHeight * info.outWidth * co);
  for (let n = 0; n < batch; n++)
    for (let oh = 0; oh < info.outHeight; oh++)
      for (let ow = 0; ow < info.outWidth; ow++)
        for (let o = 0; o < co; o++) {
          let total = bias === null ? 0 : bias.values[o]!;
          for (let a = 0; a < kh; a++) {
            let dot = 0;
            for (let b = 0; b < kw; b++) {
              const ih = oh + a - info.padInfo.top;
              const iw = ow + b - info.padInfo.left;
              if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue; // zeros
              const xAt = ((n * height + ih) * width + iw) * ci;
              const wAt = (a * kw + b) * ci * co + o;
              for (let c = 0; c < ci; c++) dot = term(x.values[xAt + c]!, filter.values[wAt + c * co]!, dot);
            }
            total = Math.fround(total + dot);
          }
          out[((n * info.outHeight + oh) * info.outWidth + ow) * co + o] = relu ? Math.max(total, 0) : total;
        }
  return out;
}

function kernelCall(
  xShape: Shape4,
  filterShape: Shape4,
  pad: Pad,
  activation: Activation,
  withBias: boolean,
  seed: number,
) {
  const x = randomTensor(xShape, seed);
  const filter = randomTensor(filterShape, seed + 1);
  const bias = withBias ? randomTensor([filterShape[3]], seed + 2) : null;
  const fused = activation !== 'none';
  return {
    x,
    filter,
    bias,
    kernel: fused ? 'FusedConv2D' : 'Conv2D',
    inputs: { x, filter, ...(bias === null ? {} : { bias }) },
    attrs: { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, ...(fused ? { activation } : {}) },
  };
}

describe('Conv2D and FusedConv2D by row-shift products (wasm)', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmRowShiftConv2D();
  });

  it('is idempotent', () => {
    const [conv, fused] = [tf.getKernel('Conv2D', 'wasm'), tf.getKernel('FusedConv2D', 'wasm')];
    registerWasmRowShiftConv2D();
    expect([tf.getKernel('Conv2D', 'wasm'), tf.getKernel('FusedConv2D', 'wasm')]).toEqual([conv, fused]);
  });

  COVERED.forEach(([label, xShape, filterShape, pad, activation, withBias], c) => {
    it(`${label}: the products' floats exactly, cpu's within rounding, no leaks`, async () => {
      const call = kernelCall(xShape, filterShape, pad, activation, withBias, 60 + 3 * c);
      const expected = reference(call.x, call.filter, call.bias, pad, activation === 'relu');
      await expectExactWasmKernel(label, call.kernel, call.inputs, call.attrs, expected, {
        name: 'XNNPACK',
        without: (run) => withoutRowShiftConv2D(run),
      });
    });
  });

  it('leaves strides, dilations, short reductions, narrow outputs and NCHW to XNNPACK', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const takes = (xShape: Shape4, filterShape: Shape4, attrs: Record<string, unknown>): boolean =>
      takesConvolution(conv2dByRowShifts, xShape, filterShape, attrs);
    expect(takes([1, 9, 9, 16], [3, 3, 16, 16], { strides: 2 }), 'stride 2').toBe(false);
    expect(takes([1, 9, 9, 16], [3, 3, 16, 16], { dilations: 2 }), 'dilation 2').toBe(false);
    expect(takes([1, 9, 9, 1], [3, 3, 1, 32], {}), 'KW·C = 3').toBe(false);
    expect(takes([1, 9, 9, 16], [3, 3, 16, 8], {}), '8 output channels').toBe(false);
    expect(takes([1, 9, 9, 16], [3, 3, 16, 16], { dataFormat: 'NCHW' }), 'NCHW').toBe(false);
    expect(takes([1, 9, 9, 16], [3, 3, 16, 16], {}), 'stride 1, 16 channels').toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    // An uncovered convolution still computes (on XNNPACK).
    const call = kernelCall([2, 9, 9, 3], [3, 3, 3, 8], 'same', 'relu', true, 99);
    const [wasm, cpu] = [
      await runOn('wasm', call.kernel, call.inputs, call.attrs),
      await runOn('cpu', call.kernel, call.inputs, call.attrs),
    ];
    expectClose(wasm.values, cpu.values, 1e-4, 'uncovered fused convolution');
  });
});
