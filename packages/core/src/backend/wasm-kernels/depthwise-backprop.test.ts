import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forceLoopPath } from './depthwise-backprop-input.js';
import {
  expectClose,
  expectWasmMatchesCpu,
  forEachReferenceTap,
  prepareBackends,
  randomTensor,
  runOn,
  type HostTensor,
} from './test-support.test-suite.js';

function dyShapeFor(
  xShape: number[],
  filterShape: number[],
  strides: number,
  pad: 'valid' | 'same',
  dilations: number,
): number[] {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    undefined,
    true,
  );
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

/** Loop reference for both depthwise gradients (NHWC), written window by window. */
function referenceGradients(
  x: HostTensor,
  filter: HostTensor,
  dy: HostTensor,
  strides: number,
  pad: 'valid' | 'same',
  dilations: number,
): { dFilter: Float32Array; dInput: Float32Array } {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    undefined,
    true,
  );
  const [, H, W, C] = x.shape as [number, number, number, number];
  const [, KW, , M] = filter.shape as [number, number, number, number];
  const dFilter = new Float64Array(filter.values.length);
  const dInput = new Float64Array(x.values.length);
  forEachReferenceTap(x.shape, info, strides, dilations, (n, oh, ow, kh, kw, ih, iw) => {
    for (let c = 0; c < C; c++)
      for (let m = 0; m < M; m++) {
        const g = dy.values[((n * info.outHeight + oh) * info.outWidth + ow) * C * M + c * M + m] as number;
        const xi = ((n * H + ih) * W + iw) * C + c;
        const wi = ((kh * KW + kw) * C + c) * M + m;
        dFilter[wi] += (x.values[xi] as number) * g;
        dInput[xi] += (filter.values[wi] as number) * g;
      }
  });
  return { dFilter: Float32Array.from(dFilter), dInput: Float32Array.from(dInput) };
}

describe('depthwise convolution gradients on wasm', () => {
  beforeAll(prepareBackends);

  let seed = 500;
  for (const path of ['xnnpack', 'loop'] as const) {
    for (const multiplier of [1, 2]) {
      for (const strides of [1, 2]) {
        for (const pad of ['valid', 'same'] as const) {
          const label = `${path} M=${multiplier} strides=${strides} pad=${pad}`;
          // Seeded inputs for one case; called inside the test so the seeds follow the run order.
          const makeCase = (xShape: number[], dilations: number) => {
            forceLoopPath.enabled = path === 'loop';
            const filterShape = [3, 2, 3, multiplier];
            const x = randomTensor(xShape, seed++);
            const filter = randomTensor(filterShape, seed++);
            const dy = randomTensor(dyShapeFor(xShape, filterShape, strides, pad, dilations), seed++);
            return { xShape, filterShape, x, filter, dy, common: { strides, pad, dilations } };
          };

          it(`match cpu: ${label}`, async () => {
            const { xShape, filterShape, x, filter, dy, common } = makeCase([2, 9, 7, 3], 1);
            await expectWasmMatchesCpu(
              'DepthwiseConv2dNativeBackpropFilter',
              { x, dy },
              { ...common, filterShape },
              `filter ${label}`,
            );
            await expectWasmMatchesCpu(
              'DepthwiseConv2dNativeBackpropInput',
              { dy, filter },
              { ...common, inputShape: xShape },
              `input ${label}`,
            );
          });

          // The cpu kernels ignore dilations in their loops (TF.js only differentiates dilation 1),
          // so dilated cases are judged against a loop reference instead.
          it(`honour dilations=2 against the loop reference: ${label}`, async () => {
            const { xShape, filterShape, x, filter, dy, common } = makeCase([2, 9, 8, 3], 2);
            const ref = referenceGradients(x, filter, dy, strides, pad, 2);
            const dW = await runOn(
              'wasm',
              'DepthwiseConv2dNativeBackpropFilter',
              { x, dy },
              { ...common, filterShape },
            );
            expectClose(dW.values, ref.dFilter, 1e-4, `filter ${label}`);
            const dX = await runOn(
              'wasm',
              'DepthwiseConv2dNativeBackpropInput',
              { dy, filter },
              { ...common, inputShape: xShape },
            );
            expectClose(dX.values, ref.dInput, 1e-4, `input ${label}`);
            expect([dW.leakedDataIds, dX.leakedDataIds, dW.leakedTensors, dX.leakedTensors]).toEqual([0, 0, 0, 0]);
          });
        }
      }
    }
  }

  it('falls back to the loop for explicit padding wider than the filter', async () => {
    forceLoopPath.enabled = false;
    const xShape = [2, 5, 6, 2];
    const filterShape = [3, 3, 2, 2];
    const pad = [
      [0, 0],
      [4, 1],
      [0, 3],
      [0, 0],
    ];
    const info = backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      1,
      1,
      pad as never,
      undefined,
      true,
    );
    const dy = randomTensor([2, info.outHeight, info.outWidth, 4], 90);
    const filter = randomTensor(filterShape, 91);
    await expectWasmMatchesCpu(
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter },
      { strides: 1, pad, dilations: 1, inputShape: xShape },
      'explicit wide pad',
    );
  });

  it('the loop reference satisfies the adjoint identity with the cpu forward dilated conv', async () => {
    await tf.setBackend('cpu');
    const xT = randomTensor([2, 8, 9, 2], 71);
    const wT = randomTensor([3, 3, 2, 2], 72);
    const dyT = randomTensor(dyShapeFor(xT.shape, wT.shape, 1, 'same', 2), 73);
    const ref = referenceGradients(xT, wT, dyT, 1, 'same', 2);
    const x = tf.tensor4d(xT.values, xT.shape as [number, number, number, number]);
    const w = tf.tensor4d(wT.values, wT.shape as [number, number, number, number]);
    const dy = tf.tensor(dyT.values, dyT.shape);
    const y = tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2);
    const forward = tf.sum(tf.mul(y, dy)).dataSync()[0] as number;
    const viaFilter = tf.sum(tf.mul(tf.tensor(ref.dFilter, wT.shape), w)).dataSync()[0] as number;
    const viaInput = tf.sum(tf.mul(tf.tensor(ref.dInput, xT.shape), x)).dataSync()[0] as number;
    expect(Math.abs(viaFilter - forward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
    expect(Math.abs(viaInput - forward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
    tf.dispose([x, w, dy, y]);
  });

  it('match cpu for a 1-channel odd-size input with a 5x5 filter and batch 3', async () => {
    const xShape = [3, 11, 5, 1];
    const filterShape = [5, 5, 1, 3];
    const x = randomTensor(xShape, 1);
    const filter = randomTensor(filterShape, 2);
    const dy = randomTensor(dyShapeFor(xShape, filterShape, 2, 'same', 1), 3);
    await expectWasmMatchesCpu(
      'DepthwiseConv2dNativeBackpropFilter',
      { x, dy },
      { strides: 2, pad: 'same', dilations: 1, filterShape },
      'filter 5x5',
    );
    await expectWasmMatchesCpu(
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter },
      { strides: 2, pad: 'same', dilations: 1, inputShape: xShape },
      'input 5x5',
    );
  });

  it('rejects mismatched dy and NCHW data', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 5, 5, 2]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dilations: 1, filterShape: [3, 3, 2, 1] },
        ),
    ).toThrow(/DepthwiseConv2dNativeBackpropFilter: dy must have shape \[1, 3, 3, 2\]/);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 2, 1], dataFormat: 'NCHW' },
        ),
    ).toThrow(/only dataFormat 'NHWC'/);
    tf.dispose([x, dy]);
  });
});
