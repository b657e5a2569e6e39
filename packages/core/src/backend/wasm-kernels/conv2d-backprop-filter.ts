/**
 * Conv2DBackpropFilter for the WASM backend: the gradient of a 2-D convolution with respect
 * to its filter.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s − pad + kh·d, ow·s − pad + kw·d, ci] · dy[n, oh, ow, co]
 *
 * Strategy: the transposed patch matrix cols[(kh, kw, ci), (n, oh, ow)] on the wasm heap (block
 * copies, see conv-patches.ts), then ONE call to the wasm BatchMatMul kernel (XNNPACK) in the
 * untransposed form it runs fast: cols [K, P] × dy [P, Cout] = dW [K, Cout], already the filter
 * layout [kh, kw, ci, co]. Very large inputs are processed in batch chunks to bound heap use.
 * On a threaded backend the patch copies (by images) and the 3×16 tiles (by tiles, each a whole
 * reduction over the positions, in order) run on the tile pool's threads (tile-pool.ts): the same
 * floats as on one thread.
 */
import { backend_util, Conv2DBackpropFilter, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWasmBackend,
  floatView,
  heapAddress,
  pair,
  release,
  wasmMatMul,
  wasmReshape,
  wasmTranspose,
  type WasmBackend,
} from './wasm-backend.js';
import { convWindowOf, type ExplicitPadding } from './conv-window.js';
import { fillTransposedPatches, type PatchGeometry } from './conv-patches.js';
import { simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';

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
  const start = first * plane * outChannels;
  floatView(backend, part).set(floatView(backend, dy).subarray(start, start + rows * outChannels));
  return part;
}

/**
 * Filter gradients with at most this many patch rows (e.g. 3×3 over 1–3 input channels) use the
 * SIMD product tiles: for them XNNPACK's per-call packing of dy ([P, Cout], transposed) costs
 * several times the product itself.
 */
const MAX_TILED_PATCH_ROWS = 27;

/** result[K, Cout] += cols[K, P] · dy rows [firstRow, firstRow + P) by 3×16 SIMD tiles (on the pool's threads). */
function addProductByTiles(
  simd: SimdKernels,
  backend: WasmBackend,
  result: TensorInfo,
  cols: TensorInfo,
  dy: TensorInfo,
  firstRow: number,
  positions: number,
): void {
  const [patchSize, outChannels] = result.shape as [number, number];
  const out = heapAddress(backend, result);
  const colsAt = heapAddress(backend, cols);
  const dyAt = heapAddress(backend, dy) + 4 * firstRow * outChannels;
  // One tile per block: each is a whole reduction over the positions (in order), and few enough.
  const tiles = loopJob(tilePoolFor(patchSize * outChannels * positions), simd, 'product_tile_3x16', 1);
  for (let k = 0; k < patchSize; k += 3) {
    for (let c = 0; c < outChannels; c += 16) {
      tiles.call(
        out + 4 * (k * outChannels + c),
        colsAt + 4 * k * positions,
        4 * positions,
        dyAt + 4 * c,
        4 * outChannels,
        positions,
      );
    }
  }
  tiles.run();
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
  const simd = simdKernelsFor(backend);
  // The patch copies go to the pool's threads when there are enough of them (elements read and
  // written: the MNIST convnet's first layer, 9 × 86,528 of each, was left on one thread by a
  // count of the written ones alone).
  const pool = tilePoolFor(2 * patchSize * chunk * plane);
  const tiles =
    simd !== null && patchSize <= MAX_TILED_PATCH_ROWS && patchSize % 3 === 0 && outChannels % 16 === 0 ? simd : null;
  let result: TensorInfo | null = null;
  if (tiles !== null) {
    result = backend.makeOutput([patchSize, outChannels], 'float32');
    floatView(backend, result).fill(0);
  }
  for (let first = 0; first < batchSize; first += chunk) {
    const count = Math.min(chunk, batchSize - first);
    const cols = backend.makeOutput([patchSize, count * plane], 'float32');
    const dyPart = tiles === null ? dyRows(backend, dy, first, count, batchSize, plane) : null;
    // Views and addresses only after every allocation of this step: heap growth detaches views.
    const xView = floatView(backend, x);
    fillTransposedPatches(
      {
        heap: new Float32Array(xView.buffer),
        out: heapAddress(backend, cols),
        x: xView.byteOffset,
        firstBatch: first,
        batchCount: count,
      },
      g,
      simd,
      pool,
    );
    if (dyPart === null) {
      // The tiles path: `result` was allocated (zeroed) before the loop.
      addProductByTiles(tiles as SimdKernels, backend, result as TensorInfo, cols, dy, first * plane, count * plane);
      release(backend, cols);
      continue;
    }
    // cols [K, P] × dy [P, Cout]: XNNPACK packs its second operand per call, so it must be the
    // narrow one (packing a [P, K] operand costs more than the product).
    const product = wasmMatMul(backend, cols, dyPart);
    release(backend, cols, dyPart);
    if (result === null) {
      result = product;
    } else {
      const total = floatView(backend, result);
      const part = floatView(backend, product);
      for (let i = 0; i < total.length; i++) total[i] += part[i]!;
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
