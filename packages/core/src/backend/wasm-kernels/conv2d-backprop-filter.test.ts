import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterTuning } from './conv2d-backprop-filter.js';
import { fillTransposedPatches, type PatchGeometry } from './conv-patches.js';
import { simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { asWasmBackend } from './wasm-backend.js';
import {
  expectClose,
  expectWasmMatchesCpu,
  forEachReferenceTap,
  prepareBackends,
  randomTensor,
  runOn,
  seededValues,
  type HostTensor,
} from './test-support.test-suite.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

/** Straightforward NHWC reference: loops over every (filter tap, output position). */
function referenceFilterGrad(
  x: HostTensor,
  dy: HostTensor,
  filterShape: [number, number, number, number],
  strides: number,
  pad: Pad,
  dilations: number,
): Float32Array {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
  );
  const [, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW, , CO] = filterShape;
  const out = new Float64Array(KH * KW * C * CO);
  forEachReferenceTap(x.shape, info, strides, dilations, (n, oh, ow, kh, kw, ih, iw) => {
    for (let c = 0; c < C; c++)
      for (let co = 0; co < CO; co++)
        out[((kh * KW + kw) * C + c) * CO + co] +=
          (x.values[((n * H + ih) * W + iw) * C + c] as number) *
          (dy.values[((n * info.outHeight + oh) * info.outWidth + ow) * CO + co] as number);
  });
  return Float32Array.from(out);
}

function dyShapeFor(
  xShape: number[],
  filterShape: [number, number, number, number],
  strides: number,
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW',
  dilations = 1,
  rounding?: 'floor' | 'round' | 'ceil',
): number[] {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    rounding,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return dataFormat === 'NHWC'
    ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
    : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(prepareBackends);

  const filterShape: [number, number, number, number] = [3, 2, 3, 4];
  let seed = 100;
  for (const dataFormat of ['NHWC', 'NCHW'] as const) {
    for (const strides of [1, 2]) {
      for (const pad of ['valid', 'same', 1] as const) {
        it(`matches cpu: ${dataFormat} strides=${strides} pad=${pad}`, async () => {
          const xShape = dataFormat === 'NHWC' ? [2, 7, 9, 3] : [2, 3, 7, 9];
          const x = randomTensor(xShape, seed++);
          const dy = randomTensor(dyShapeFor(xShape, filterShape, strides, pad, dataFormat), seed++);
          await expectWasmMatchesCpu(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides, pad, dataFormat, filterShape },
            `${dataFormat}/${strides}/${pad}`,
          );
        });
      }
    }
  }

  it('matches cpu with explicit padding, dimRoundingMode and batch 3 with 1x1 filters', async () => {
    const explicit: Pad = [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ];
    const xShape = [3, 6, 5, 2];
    const fs: [number, number, number, number] = [2, 3, 2, 5];
    const x = randomTensor(xShape, 7);
    const dy = randomTensor(dyShapeFor(xShape, fs, 2, explicit, 'NHWC'), 8);
    await expectWasmMatchesCpu(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: [2, 2], pad: explicit, dataFormat: 'NHWC', filterShape: fs },
      'explicit',
    );

    const dy2 = randomTensor(dyShapeFor(xShape, fs, 2, 1, 'NHWC', 1, 'ceil'), 9);
    await expectWasmMatchesCpu(
      'Conv2DBackpropFilter',
      { x, dy: dy2 },
      { strides: 2, pad: 1, dimRoundingMode: 'ceil', dataFormat: 'NHWC', filterShape: fs },
      'ceil',
    );

    const pointwise: [number, number, number, number] = [1, 1, 2, 3];
    const dy3 = randomTensor(dyShapeFor(xShape, pointwise, 1, 'valid', 'NHWC'), 10);
    await expectWasmMatchesCpu(
      'Conv2DBackpropFilter',
      { x, dy: dy3 },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: pointwise },
      '1x1',
    );
  });

  // One input channel (MNIST's first layer) takes the row-by-row patch fill in NHWC.
  for (const [strides, pad] of [
    [1, 'valid'],
    [2, 'same'],
  ] as const) {
    it(`matches cpu for a single-channel NHWC input (strides=${strides}, pad=${pad})`, async () => {
      const x = randomTensor([3, 9, 7, 1], 60 + strides);
      const fs: [number, number, number, number] = [3, 3, 1, 4];
      const dy = randomTensor(dyShapeFor(x.shape, fs, strides, pad, 'NHWC'), 70 + strides);
      await expectWasmMatchesCpu(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides, pad, dataFormat: 'NHWC', filterShape: fs },
        `1-channel ${pad}`,
      );
    });
  }

  it('the loop reference agrees with cpu (so it can judge dilated cases)', async () => {
    const x = randomTensor([2, 6, 7, 2], 11);
    const fs: [number, number, number, number] = [3, 3, 2, 3];
    const dy = randomTensor(dyShapeFor(x.shape, fs, 2, 'same', 'NHWC'), 12);
    const cpu = await runOn(
      'cpu',
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: fs },
    );
    expectClose(referenceFilterGrad(x, dy, fs, 2, 'same', 1), cpu.values, 1e-4, 'reference');
  });

  for (const strides of [1, 2]) {
    for (const pad of ['valid', 'same'] as const) {
      it(`honours dilations=2 (strides=${strides}, pad=${pad}) against the loop reference`, async () => {
        const x = randomTensor([2, 9, 8, 2], 20 + strides);
        const fs: [number, number, number, number] = [3, 2, 2, 3];
        const dy = randomTensor(dyShapeFor(x.shape, fs, strides, pad, 'NHWC', 2), 30 + strides);
        const wasm = await runOn(
          'wasm',
          'Conv2DBackpropFilter',
          { x, dy },
          { strides, pad, dataFormat: 'NHWC', filterShape: fs, dilations: 2 },
        );
        expect(wasm.shape).toEqual(fs);
        expectClose(wasm.values, referenceFilterGrad(x, dy, fs, strides, pad, 2), 1e-4, 'dilated');
        expect(wasm.leakedDataIds).toBe(0);
      });
    }
  }

  it('gives the same result when the batch is split into chunks', async () => {
    const saved = conv2DBackpropFilterTuning.maxColumnElements;
    try {
      for (const dataFormat of ['NHWC', 'NCHW'] as const) {
        const xShape = dataFormat === 'NHWC' ? [5, 6, 6, 2] : [5, 2, 6, 6];
        const fs: [number, number, number, number] = [3, 3, 2, 4];
        const x = randomTensor(xShape, 40);
        const dy = randomTensor(dyShapeFor(xShape, fs, 1, 'same', dataFormat), 41);
        // 18 patch rows × 36 positions per image: room for 2 images per chunk → chunks 2, 2, 1.
        conv2DBackpropFilterTuning.maxColumnElements = 18 * 36 * 2;
        await expectWasmMatchesCpu(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dataFormat, filterShape: fs },
          `chunked ${dataFormat}`,
        );
      }
    } finally {
      conv2DBackpropFilterTuning.maxColumnElements = saved;
    }
  });

  // Channels-last x with ≥ 4 channels takes the by-position block copy (MNIST's second conv).
  const byPositionCases: [number | [number, number], 'valid' | 'same', number][] = [
    [1, 'valid', 1],
    [2, 'same', 1],
    [[1, 2], 'same', 1],
    [1, 'same', 2],
    [2, 'valid', 2],
  ];
  for (const [strides, pad, dilations] of byPositionCases) {
    it(`matches the loop reference with 8 channels (strides=${String(strides)}, pad=${pad}, dilations=${dilations})`, async () => {
      const x = randomTensor([3, 9, 8, 8], 80 + dilations);
      const fs: [number, number, number, number] = [3, 2, 8, 5];
      const info = backend_util.computeConv2DInfo([3, 9, 8, 8], fs, strides, dilations, pad);
      const dy = randomTensor([3, info.outHeight, info.outWidth, 5], 90 + dilations);
      const attrs = { strides, pad, dataFormat: 'NHWC', filterShape: fs, dilations };
      const wasm = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(wasm.shape).toEqual(fs);
      const s = typeof strides === 'number' ? strides : strides[0];
      if (typeof strides === 'number')
        expectClose(wasm.values, referenceFilterGrad(x, dy, fs, s, pad, dilations), 1e-4, 'by position');
      if (dilations === 1) {
        const cpu = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
        expectClose(wasm.values, cpu.values, 1e-4, 'by position vs cpu');
      }
      expect(wasm.leakedDataIds).toBe(0);
    });
  }

  // ≤ 27 patch rows (a multiple of 3) and a multiple of 16 output channels take the SIMD product
  // tiles instead of XNNPACK (MNIST's first conv: 3×3×1 → 32).
  const tiledCases: [
    string,
    number[],
    [number, number, number, number],
    number | [number, number],
    'valid' | 'same',
    number,
  ][] = [
    ['3x3x1 -> 32 valid', [3, 9, 8, 1], [3, 3, 1, 32], 1, 'valid', 1],
    ['3x3x1 -> 16 same stride 2', [2, 9, 9, 1], [3, 3, 1, 16], 2, 'same', 1],
    ['3x3x3 -> 16 same', [2, 7, 6, 3], [3, 3, 3, 16], 1, 'same', 1],
    ['3x2x1 -> 48 strides [2, 1] valid', [2, 8, 7, 1], [3, 2, 1, 48], [2, 1], 'valid', 1],
    ['3x3x2 -> 16 dilated same', [2, 9, 8, 2], [3, 3, 2, 16], 1, 'same', 2],
  ];
  tiledCases.forEach(([label, xShape, fs, strides, pad, dilations], i) => {
    it(`matches with the SIMD product tiles: ${label}`, async () => {
      const x = randomTensor(xShape, 120 + i);
      const info = backend_util.computeConv2DInfo(
        xShape as [number, number, number, number],
        fs,
        strides,
        dilations,
        pad,
      );
      const dy = randomTensor([xShape[0]!, info.outHeight, info.outWidth, fs[3]], 130 + i);
      const attrs = { strides, pad, dataFormat: 'NHWC', filterShape: fs, dilations };
      const wasm = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(wasm.shape).toEqual(fs);
      if (dilations === 1) {
        const cpu = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
        expectClose(wasm.values, cpu.values, 1e-4, label);
      } else {
        expectClose(wasm.values, referenceFilterGrad(x, dy, fs, strides as number, pad, dilations), 1e-4, label);
      }
      expect(wasm.leakedDataIds).toBe(0);
    });
  });

  it('gives the same result in batch chunks with the SIMD product tiles', async () => {
    const saved = conv2DBackpropFilterTuning.maxColumnElements;
    try {
      const fs: [number, number, number, number] = [3, 3, 1, 16];
      const x = randomTensor([5, 7, 6, 1], 44);
      const dy = randomTensor(dyShapeFor([5, 7, 6, 1], fs, 1, 'same', 'NHWC'), 45);
      conv2DBackpropFilterTuning.maxColumnElements = 9 * 42 * 2; // 2 images per chunk → 2, 2, 1
      await expectWasmMatchesCpu(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs },
        'chunked tiles',
      );
    } finally {
      conv2DBackpropFilterTuning.maxColumnElements = saved;
    }
  });

  it('gives the same result in batch chunks with 4 channels (by-position copy)', async () => {
    const saved = conv2DBackpropFilterTuning.maxColumnElements;
    try {
      const fs: [number, number, number, number] = [3, 3, 4, 3];
      const x = randomTensor([5, 6, 7, 4], 42);
      const dy = randomTensor(dyShapeFor([5, 6, 7, 4], fs, 1, 'same', 'NHWC'), 43);
      conv2DBackpropFilterTuning.maxColumnElements = 36 * 42 * 2; // 2 images per chunk → 2, 2, 1
      await expectWasmMatchesCpu(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs },
        'chunked by position',
      );
    } finally {
      conv2DBackpropFilterTuning.maxColumnElements = saved;
    }
  });

  it('fills the same patch matrix with the JS twin of the wasm loops', async () => {
    await tf.setBackend('wasm');
    const backend = asWasmBackend(tf.backend(), 'test');
    const simd = simdKernelsFor(backend);
    expect(simd).not.toBeNull();
    // [channels, channels-last, column stride = column dilation]: 8 and 4 channels-last take the
    // transposing copy (with a remainder of positions), 6 the by-position one, 1 and NCHW by channel.
    const cases: [number, boolean, number][] = [
      [8, true, 1],
      [4, true, 2],
      [6, true, 1],
      [1, true, 1],
      [3, false, 2],
    ];
    for (const [channels, channelsLast, step] of cases) {
      const [H, W] = [7, 13];
      const outWidth = Math.floor((W + 2 - step - 1) / step) + 1;
      const shape = channelsLast ? [2, H, W, channels] : [2, channels, H, W];
      const xs = tf.tensor(seededValues(2 * H * W * channels, 7 + channels), shape);
      const g: PatchGeometry = {
        inHeight: H,
        inWidth: W,
        outHeight: 4,
        outWidth,
        filterHeight: 3,
        filterWidth: 2,
        strideHeight: 2,
        strideWidth: step,
        dilationHeight: 1,
        dilationWidth: step,
        padTop: 1,
        padLeft: 1,
        inChannels: channels,
        xStrideBatch: H * W * channels,
        xStrideRow: channelsLast ? W * channels : W,
        xStrideCol: channelsLast ? channels : 1,
        xStrideChannel: channelsLast ? 1 : H * W,
      };
      const cols = tf.fill([3 * 2 * channels, 2 * 4 * outWidth], 7);
      const fill = (kernels: SimdKernels | null): Float32Array => {
        const view = backend.typedArrayFromHeap(cols as unknown as tf.TensorInfo) as Float32Array;
        const xAt = backend.typedArrayFromHeap(xs as unknown as tf.TensorInfo).byteOffset;
        fillTransposedPatches(
          { heap: new Float32Array(view.buffer), out: view.byteOffset, x: xAt, firstBatch: 0, batchCount: 2 },
          g,
          kernels,
        );
        return view.slice();
      };
      const byWasm = fill(simd);
      const byJs = fill(null);
      expect(Array.from(byWasm)).toEqual(Array.from(byJs));
      expect(byWasm.includes(7)).toBe(false); // every entry written (padding zeroed)
      tf.dispose([xs, cols]);
    }
  });

  it('copies a tap for a run of images in one call as it does image by image (wasm loops and JS twin)', async () => {
    await tf.setBackend('wasm');
    const backend = asWasmBackend(tf.backend(), 'test');
    // 19 images: runs of ceil(19 / 8) = 3 images per call on one thread, the last run shorter.
    const [N, H, W, outHeight, outWidth] = [19, 6, 7, 5, 6];
    for (const [channels, simd] of [8, 6, 1].flatMap((c) => [
      [c, simdKernelsFor(backend)] as const,
      [c, null] as const,
    ])) {
      const g: PatchGeometry = {
        inHeight: H,
        inWidth: W,
        outHeight,
        outWidth,
        filterHeight: 2,
        filterWidth: 2,
        strideHeight: 1,
        strideWidth: 1,
        dilationHeight: 1,
        dilationWidth: 1,
        padTop: 0,
        padLeft: 0,
        inChannels: channels,
        xStrideBatch: H * W * channels,
        xStrideRow: W * channels,
        xStrideCol: channels,
        xStrideChannel: 1,
      };
      const xs = tf.tensor(seededValues(N * H * W * channels, 3 + channels), [N, H, W, channels]);
      const rows = 4 * channels;
      const plane = outHeight * outWidth;
      const fill = (firstBatch: number, batchCount: number): Float32Array => {
        const cols = tf.fill([rows, batchCount * plane], 7);
        const view = backend.typedArrayFromHeap(cols as unknown as tf.TensorInfo) as Float32Array;
        const xAt = backend.typedArrayFromHeap(xs as unknown as tf.TensorInfo).byteOffset;
        fillTransposedPatches(
          { heap: new Float32Array(view.buffer), out: view.byteOffset, x: xAt, firstBatch, batchCount },
          g,
          simd,
        );
        const values = view.slice();
        cols.dispose();
        return values;
      };
      const all = fill(0, N);
      for (let n = 0; n < N; n++) {
        const one = fill(n, 1);
        for (let k = 0; k < rows; k++) {
          const got = all.subarray(k * N * plane + n * plane, k * N * plane + (n + 1) * plane);
          expect(Array.from(got), `channels ${channels}, wasm ${simd !== null}, image ${n}, row ${k}`).toEqual(
            Array.from(one.subarray(k * plane, (k + 1) * plane)),
          );
        }
      }
      xs.dispose();
    }
  });

  it('rejects a dy whose shape does not match the convolution', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] },
        ),
    ).toThrow(/dy must have shape \[1, 3, 3, 3\].*got \[1, 4, 4, 3\]/);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [2, 2, 5, 3] },
        ),
    ).toThrow(/filterShape must be \[kh, kw, 2, outChannels\]/);
    tf.dispose([x, dy]);
  });
});
