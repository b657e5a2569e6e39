/**
 * Conv2DBackpropFilter for the WASM backend: the gradient of a 2-D convolution with respect
 * to its filter.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s − pad + kh·d, ow·s − pad + kw·d, ci] · dy[n, oh, ow, co]
 *
 * Strategy: a patch matrix on the wasm heap (see conv-patches.ts: contiguous copies only), then
 * ONE call to the wasm BatchMatMul kernel (XNNPACK) in the untransposed form it runs fast:
 * - channels-last x with several channels: rows[P, K] (P = (n, oh, ow), K = (kh, kw, ci)), each
 *   filter row of a window one contiguous copy; dyᵀ[Cout, P] × rows[P, K] = dWᵀ[Cout, K], then a
 *   small transpose to the filter layout [kh, kw, ci, co];
 * - channels-first x or one channel: cols[K, P] filled along image rows; cols × dy[P, Cout] = dW.
 * Very large inputs are processed in batch chunks to bound heap use.
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
import { convWindowOf, type ExplicitPadding } from './conv-window.js';
import { fillPatchRows, fillTransposedPatches, type PatchGeometry } from './conv-patches.js';

/**
 * Tuning knob: upper bound on patch-matrix elements per batch chunk (default 64 MiB of
 * float32). Lower it to trade speed for wasm heap.
 */
export const conv2DBackpropFilterTuning = { maxColumnElements: 16 * 1024 * 1024 };

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

/** The heap (whole-memory view) and the heap index of a tensor's first element. */
function heapAt(backend: WasmBackend, info: TensorInfo): { heap: Float32Array; at: number } {
  const view = floatView(backend, info);
  return { heap: new Float32Array(view.buffer), at: view.byteOffset >> 2 };
}

/** dy rows [first·plane, (first + count)·plane) as a [rows, Cout] tensor (a reshape when it is all of dy). */
function dyRows(
  backend: WasmBackend,
  dy: TensorInfo,
  first: number,
  count: number,
  batchSize: number,
  plane: number,
): TensorInfo {
  const outChannels = dy.shape[3]!;
  const rows = count * plane;
  if (count === batchSize) return wasmReshape(backend, dy, [rows, outChannels]);
  const part = backend.makeOutput([rows, outChannels], 'float32');
  const from = heapAt(backend, dy);
  const to = heapAt(backend, part);
  const start = from.at + first * plane * outChannels;
  to.heap.copyWithin(to.at, start, start + rows * outChannels);
  return part;
}

/** Adds `part` into `total` (same shape) and releases `part`. */
function accumulate(backend: WasmBackend, total: TensorInfo, part: TensorInfo): void {
  const sum = floatView(backend, total);
  const add = floatView(backend, part);
  for (let i = 0; i < sum.length; i++) sum[i] += add[i]!;
  release(backend, part);
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
  const plane = g.outHeight * g.outWidth;
  const chunk = Math.max(
    1,
    Math.min(batchSize, Math.floor(conv2DBackpropFilterTuning.maxColumnElements / Math.max(1, patchSize * plane))),
  );
  // Rows when x is channels-last with several channels (the copies are kw·Cin long), else columns.
  const byRows = g.xStrideChannel === 1 && g.inChannels > 1;
  let result: TensorInfo | null = null;
  for (let first = 0; first < batchSize; first += chunk) {
    const count = Math.min(chunk, batchSize - first);
    const positions = count * plane;
    const patches = backend.makeOutput(byRows ? [positions, patchSize] : [patchSize, positions], 'float32');
    const dyPart = dyRows(backend, dy, first, count, batchSize, plane);
    // The heap view is taken after the allocations above: heap growth detaches views.
    const xAt = heapAt(backend, x);
    const target = {
      heap: xAt.heap,
      out: heapAt(backend, patches).at,
      x: xAt.at,
      firstBatch: first,
      batchCount: count,
    };
    let product: TensorInfo;
    if (byRows) {
      fillPatchRows(target, g);
      const dyT = wasmTranspose(backend, dyPart, [1, 0]);
      product = wasmMatMul(backend, dyT, patches); // [Cout, K]
      release(backend, dyT);
    } else {
      fillTransposedPatches(target, g);
      product = wasmMatMul(backend, patches, dyPart); // [K, Cout]
    }
    release(backend, patches, dyPart);
    if (result === null) result = product;
    else accumulate(backend, result, product);
  }
  if (result === null) throw new Error(`${Conv2DBackpropFilter}: empty batch.`);
  if (byRows) {
    const transposed = wasmTranspose(backend, result, [1, 0]);
    release(backend, result);
    result = transposed;
  }
  return { dataId: result.dataId, dtype: 'float32', shape: [g.filterHeight, g.filterWidth, g.inChannels, outChannels] };
}

/** Kernel registration for the 'wasm' backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
