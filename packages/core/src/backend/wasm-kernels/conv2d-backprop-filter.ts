/**
 * Conv2DBackpropFilter for the WASM backend: the gradient of a 2-D convolution with respect
 * to its filter.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s − pad + kh·d, ow·s − pad + kw·d, ci] · dy[n, oh, ow, co]
 *
 * Strategy: build the transposed patch matrix cols[(kh, kw, ci), (n, oh, ow)] on the wasm heap
 * (a linear-time copy), then ONE call to the wasm BatchMatMul kernel (XNNPACK):
 * cols [K, P] × dy [P, Cout] = dW [K, Cout], which is already the filter layout
 * [kh, kw, ci, co]. cols is built transposed because BatchMatMul with transposeA=true takes a
 * much slower path. Very large inputs are processed in batch chunks to bound heap use.
 */
import { backend_util, Conv2DBackpropFilter, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWasmBackend,
  floatView,
  pair,
  release,
  wasmMatMul,
  wasmReshape,
  wasmTranspose,
  type WasmBackend,
} from './wasm-backend.js';
import { convWindowOf, type ConvWindow, type ExplicitPadding } from './conv-window.js';

/**
 * Tuning knob: upper bound on patch-matrix elements per batch chunk (default 64 MiB of
 * float32). Lower it to trade speed for wasm heap.
 */
export const conv2DBackpropFilterTuning = { maxColumnElements: 16 * 1024 * 1024 };

/** Geometry of one convolution, with element strides of x so NHWC and NCHW share code. */
interface PatchGeometry extends ConvWindow {
  inChannels: number;
  /** Element strides of x along batch, row, column and channel. */
  xStrideBatch: number;
  xStrideRow: number;
  xStrideCol: number;
  xStrideChannel: number;
}

/**
 * Writes cols[k, p] for k = (kh, kw, ci) and p = (n − firstBatch, oh, ow), zero where the
 * window reads padding. Picks the loop order that reads x contiguously for its layout.
 */
export function fillTransposedPatches(
  cols: Float32Array,
  x: Float32Array,
  g: PatchGeometry,
  firstBatch: number,
  batchCount: number,
): void {
  if (g.xStrideChannel === 1 && g.inChannels > 1) {
    fillByPosition(cols, x, g, firstBatch, batchCount);
  } else {
    fillByRow(cols, x, g, firstBatch, batchCount);
  }
}

/**
 * Channels-last order: for each output position, copy each tap's contiguous channel vector
 * into column p of rows k..k+Cin. The K rows are written as parallel streams, which caches
 * well, while x is read contiguously (a row-by-row fill would stride x by Cin).
 */
function fillByPosition(
  cols: Float32Array,
  x: Float32Array,
  g: PatchGeometry,
  firstBatch: number,
  batchCount: number,
): void {
  const columns = batchCount * g.outHeight * g.outWidth;
  const C = g.inChannels;
  let p = 0;
  for (let n = firstBatch; n < firstBatch + batchCount; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ihBase = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++, p++) {
        const iwBase = ow * g.strideWidth - g.padLeft;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = ihBase + kh * g.dilationHeight;
          const rowInside = ih >= 0 && ih < g.inHeight;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = iwBase + kw * g.dilationWidth;
            let dst = (kh * g.filterWidth + kw) * C * columns + p;
            if (!rowInside || iw < 0 || iw >= g.inWidth) {
              for (let ci = 0; ci < C; ci++, dst += columns) cols[dst] = 0;
              continue;
            }
            const src = n * g.xStrideBatch + ih * g.xStrideRow + iw * g.xStrideCol;
            for (let ci = 0; ci < C; ci++, dst += columns) cols[dst] = x[src + ci] as number;
          }
        }
      }
    }
  }
}

/** Row-by-row order: contiguous reads when x is channels-first (or has one channel). */
function fillByRow(
  cols: Float32Array,
  x: Float32Array,
  g: PatchGeometry,
  firstBatch: number,
  batchCount: number,
): void {
  const outPlane = g.outHeight * g.outWidth;
  const columns = batchCount * outPlane;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth - g.padLeft;
      // Output columns whose input column lies inside the image: [owStart, owEnd).
      const owStart = Math.min(g.outWidth, Math.max(0, Math.ceil(-colOffset / g.strideWidth)));
      const owEnd = Math.max(owStart, Math.min(g.outWidth, Math.ceil((g.inWidth - colOffset) / g.strideWidth)));
      for (let ci = 0; ci < g.inChannels; ci++) {
        let dst = ((kh * g.filterWidth + kw) * g.inChannels + ci) * columns;
        for (let n = firstBatch; n < firstBatch + batchCount; n++) {
          const batchBase = n * g.xStrideBatch + ci * g.xStrideChannel;
          for (let oh = 0; oh < g.outHeight; oh++) {
            const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
            if (ih < 0 || ih >= g.inHeight) {
              cols.fill(0, dst, dst + g.outWidth);
              dst += g.outWidth;
              continue;
            }
            const rowBase = batchBase + ih * g.xStrideRow;
            if (owStart > 0) cols.fill(0, dst, dst + owStart);
            let src = rowBase + (owStart * g.strideWidth + colOffset) * g.xStrideCol;
            const step = g.strideWidth * g.xStrideCol;
            for (let ow = owStart; ow < owEnd; ow++) {
              cols[dst + ow] = x[src];
              src += step;
            }
            if (owEnd < g.outWidth) cols.fill(0, dst + owEnd, dst + g.outWidth);
            dst += g.outWidth;
          }
        }
      }
    }
  }
}

function conv2DBackpropFilter(args: {
  inputs: Record<string, TensorInfo>;
  backend: object;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const backend = asWasmBackend(args.backend, Conv2DBackpropFilter);
  const x = args.inputs['x'];
  const dy = args.inputs['dy'];
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  if (x === undefined || dy === undefined)
    throw new Error(`${Conv2DBackpropFilter}: inputs 'x' and 'dy' are required.`);
  if (x.shape.length !== 4 || dy.shape.length !== 4) {
    throw new Error(
      `${Conv2DBackpropFilter}: expected rank-4 x and dy, got x [${x.shape.join(', ')}] and dy [${dy.shape.join(', ')}].`,
    );
  }
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const channelAxis = attrs['dataFormat'] === 'NCHW' ? 1 : 3;
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || filterShape[2] !== x.shape[channelAxis]) {
    throw new Error(
      `${Conv2DBackpropFilter}: filterShape must be [kh, kw, ${x.shape[channelAxis]}, outChannels] for x ` +
        `[${x.shape.join(', ')}], got ${JSON.stringify(filterShape)}.`,
    );
  }
  const dataFormat = (attrs['dataFormat'] as 'NHWC' | 'NCHW' | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${Conv2DBackpropFilter}: dataFormat must be 'NHWC' or 'NCHW', got '${String(dataFormat)}'.`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs['strides'] as number | [number, number],
    // TF.js omits dilations from this kernel's attrs (its conv2d gradient requires 1); honour them if given.
    pair(attrs['dilations'] as number | [number, number] | undefined, 1),
    attrs['pad'] as 'valid' | 'same' | number | ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const channelsLast = dataFormat === 'NHWC';
  const expectedDy = channelsLast
    ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
    : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
  if (!util.arraysEqual(dy.shape, expectedDy)) {
    throw new Error(
      `${Conv2DBackpropFilter}: dy must have shape [${expectedDy.join(', ')}] for x [${x.shape.join(', ')}] and ` +
        `filter [${filterShape.join(', ')}], got [${dy.shape.join(', ')}].`,
    );
  }
  const { inHeight, inWidth, inChannels } = info;
  const geometry: PatchGeometry = {
    ...convWindowOf(info),
    inChannels,
    xStrideBatch: inHeight * inWidth * inChannels,
    xStrideRow: channelsLast ? inWidth * inChannels : inWidth,
    xStrideCol: channelsLast ? inChannels : 1,
    xStrideChannel: channelsLast ? 1 : inHeight * inWidth,
  };
  // dy in (n, oh, ow, co) order so that its rows line up with the patch columns.
  const dyChannelsLast = channelsLast ? dy : wasmTranspose(backend, dy, [0, 2, 3, 1]);
  try {
    return filterGradient(backend, x, dyChannelsLast, geometry, info.batchSize, info.outChannels);
  } finally {
    if (!channelsLast) release(backend, dyChannelsLast);
  }
}

function filterGradient(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: PatchGeometry,
  batchSize: number,
  outChannels: number,
): TensorInfo {
  const patchSize = g.filterHeight * g.filterWidth * g.inChannels;
  const outPlane = g.outHeight * g.outWidth;
  const chunk = Math.max(
    1,
    Math.min(batchSize, Math.floor(conv2DBackpropFilterTuning.maxColumnElements / Math.max(1, patchSize * outPlane))),
  );
  let result: TensorInfo | null = null;
  for (let first = 0; first < batchSize; first += chunk) {
    const count = Math.min(chunk, batchSize - first);
    const columns = count * outPlane;
    const cols = backend.makeOutput([patchSize, columns], 'float32');
    const dyRows =
      count === batchSize
        ? wasmReshape(backend, dy, [columns, outChannels])
        : backend.makeOutput([columns, outChannels], 'float32');
    // Views are taken only after every allocation of this step: heap growth detaches them.
    if (count !== batchSize) {
      const start = first * outPlane * outChannels;
      floatView(backend, dyRows).set(floatView(backend, dy).subarray(start, start + columns * outChannels));
    }
    fillTransposedPatches(floatView(backend, cols), floatView(backend, x), g, first, count);
    const product = wasmMatMul(backend, cols, dyRows);
    release(backend, cols, dyRows);
    if (result === null) {
      result = product;
    } else {
      const total = floatView(backend, result);
      const part = floatView(backend, product);
      for (let i = 0; i < total.length; i++) total[i] += part[i];
      release(backend, product);
    }
  }
  if (result === null) throw new Error(`${Conv2DBackpropFilter}: empty batch.`);
  return { dataId: result.dataId, dtype: 'float32', shape: [g.filterHeight, g.filterWidth, g.inChannels, outChannels] };
}

/** Kernel registration for the 'wasm' backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
