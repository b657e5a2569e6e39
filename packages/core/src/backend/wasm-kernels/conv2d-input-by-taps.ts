/**
 * The input gradient of a stride-1 NHWC convolution as one small product per filter tap, on the
 * SIMD product tiles (simd-product-tiles.ts):
 *   dx[n, oh − padTop + kh, ow − padLeft + kw, :] += dy[n, oh, ow, :] · W[kh, kw]ᵀ
 * The forward-convolution formulation (fast-conv2d-backprop-input.ts) pads dy by the filter size
 * all round and multiplies the zeros too: for the MNIST convnet's 11×11 → 13×13 gradient that is
 * 797 MFLOP for 571 of real work. Here only (a few) zeros at row ends are multiplied.
 *
 * The trick that makes each tap one product per image: in a "full" output of width
 * Wp = outWidth + KW − 1, with dy rows padded to the same width (zero columns at each row's end),
 * dy row r = oh·Wp + ow feeds output row r + kh·Wp + kw for every (oh, ow): a constant shift. So
 * per image and tap, `product_rows` adds rows·O × O·I into the output at that shift
 * (O = dy channels, I = input channels). The full output is dx itself for 'valid' padding, and is
 * cropped to dx otherwise.
 *
 * Each dx element is the sum over taps in order of one in-order dot product over O per tap
 * (a different order than XNNPACK's single chain, so the floats differ within rounding). An
 * image's taps run on one thread, in order: the floats do not depend on the thread count.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BLOCKS_PER_THREAD, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import { convWindowOf } from './conv-window.js';
import { simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';

/** Where the per-tap products read and write, for one gradient (sizes in elements). */
interface TapGeometry {
  batch: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  /** dy channels (the products' reduction) and input channels (their width). */
  outChannels: number;
  inChannels: number;
  /** The full output: (outHeight + KH − 1) × (outWidth + KW − 1). */
  fullHeight: number;
  fullWidth: number;
}

/** W [KH, KW, I, O] as per-tap Wᵀ [O, I], each in panels of 16 columns ([O, 16] contiguous). */
function packTapPanels(w: Float32Array, packed: Float32Array, g: TapGeometry): void {
  const { inChannels: ci, outChannels: co } = g;
  const taps = g.filterHeight * g.filterWidth;
  for (let t = 0; t < taps; t++) {
    for (let i = 0; i < ci; i++) {
      const panel = i >> 4;
      const lane = i & 15;
      const src = (t * ci + i) * co;
      const dst = t * ci * co + panel * 16 * co + lane;
      for (let o = 0; o < co; o++) packed[dst + 16 * o] = w[src + o]!;
    }
  }
}

/** dy [N, outH, outW, O] into rows of width fullWidth (zero columns at each row's end). */
function padRows(dy: Float32Array, padded: Float32Array, g: TapGeometry): void {
  padded.fill(0);
  const rowLength = g.outWidth * g.outChannels;
  const paddedRow = g.fullWidth * g.outChannels;
  for (let row = 0; row < g.batch * g.outHeight; row++) {
    padded.set(dy.subarray(row * rowLength, (row + 1) * rowLength), row * paddedRow);
  }
}

/** Adds every tap's product into the (zeroed) full output, image by image (blocks of images on the pool). */
function addTapProducts(simd: SimdKernels, out: number, dy: number, packed: number, g: TapGeometry): void {
  const { batch, outChannels: co, inChannels: ci, fullHeight, fullWidth } = g;
  const taps = g.filterHeight * g.filterWidth;
  // Rows from the first dy row to the last real one: the last row's padding columns would write past the image.
  const rows = (g.outHeight - 1) * fullWidth + g.outWidth;
  const pool = tilePoolFor(batch * taps * rows * co * ci);
  const imagesPerBlock = Math.ceil(batch / (BLOCKS_PER_THREAD * (pool?.threads ?? 1)));
  // A block holds whole images: an image's taps add into the same rows, so they stay on one thread, in order.
  const job = loopJob(pool, simd, 'product_rows', taps * imagesPerBlock);
  for (let n = 0; n < batch; n++) {
    const image = out + 4 * n * fullHeight * fullWidth * ci;
    const dyImage = dy + 4 * n * g.outHeight * fullWidth * co;
    for (let kh = 0; kh < g.filterHeight; kh++) {
      for (let kw = 0; kw < g.filterWidth; kw++) {
        const tap = kh * g.filterWidth + kw;
        job.call(
          image + 4 * (kh * fullWidth + kw) * ci,
          dyImage,
          4 * co,
          4,
          packed + 4 * tap * co * ci,
          64,
          co,
          4 * ci,
          rows,
          ci / 16,
          64 * co,
        );
      }
    }
  }
  job.run();
}

/** dx [N, inH, inW, I] = the full output's window at (padTop, padLeft). */
function cropFull(
  full: Float32Array,
  dx: Float32Array,
  g: TapGeometry,
  inHeight: number,
  inWidth: number,
  padTop: number,
  padLeft: number,
): void {
  const rowLength = inWidth * g.inChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let ih = 0; ih < inHeight; ih++) {
      const from = ((n * g.fullHeight + ih + padTop) * g.fullWidth + padLeft) * g.inChannels;
      dx.set(full.subarray(from, from + rowLength), (n * inHeight + ih) * rowLength);
    }
  }
}

/**
 * dx by per-tap products, or null when this gradient is not one they cover (NCHW, strides or
 * dilations other than 1, input channels not a multiple of 16, padding beyond the full output, or
 * no SIMD access to the heap): the caller then uses another formulation.
 */
export function conv2dInputByTaps(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo | null {
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const filterShape = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const w = convWindowOf(info);
  const [kh, kw, inChannels, outChannels] = filterShape;
  const g: TapGeometry = {
    batch: inputShape[0],
    outHeight: w.outHeight,
    outWidth: w.outWidth,
    filterHeight: kh,
    filterWidth: kw,
    outChannels,
    inChannels,
    fullHeight: w.outHeight + kh - 1,
    fullWidth: w.outWidth + kw - 1,
  };
  const covered =
    w.strideHeight === 1 &&
    w.strideWidth === 1 &&
    inChannels % 16 === 0 &&
    g.batch > 0 &&
    w.outHeight > 0 &&
    w.outWidth > 0 &&
    w.padTop >= 0 &&
    w.padLeft >= 0 &&
    w.padTop + w.inHeight <= g.fullHeight &&
    w.padLeft + w.inWidth <= g.fullWidth;
  const simd = simdKernelsFor(backend);
  if (!covered || simd === null) return null;

  const cropped = g.fullHeight !== w.inHeight || g.fullWidth !== w.inWidth;
  const padded = g.fullWidth !== g.outWidth;
  const dx = backend.makeOutput([...inputShape], 'float32');
  const full = cropped ? backend.makeOutput([g.batch, g.fullHeight, g.fullWidth, inChannels], 'float32') : dx;
  const dyRows = padded ? backend.makeOutput([g.batch, g.outHeight, g.fullWidth, outChannels], 'float32') : dy;
  const packed = backend.makeOutput([kh * kw * inChannels * outChannels], 'float32');
  try {
    // Views and addresses only after every allocation (heap growth detaches views).
    packTapPanels(floatView(backend, filter), floatView(backend, packed), g);
    if (padded) padRows(floatView(backend, dy), floatView(backend, dyRows), g);
    floatView(backend, full).fill(0); // the tiles add into it
    addTapProducts(simd, heapAddress(backend, full), heapAddress(backend, dyRows), heapAddress(backend, packed), g);
    if (cropped)
      cropFull(floatView(backend, full), floatView(backend, dx), g, w.inHeight, w.inWidth, w.padTop, w.padLeft);
    return dx;
  } catch (error) {
    release(backend, dx);
    throw error;
  } finally {
    release(backend, packed, ...(padded ? [dyRows] : []), ...(cropped ? [full] : []));
  }
}
