/**
 * NHWC convolutions over few input channels (a first layer over 1–3 channels: windows of KW·C < 16
 * values per filter row, too short for the row-shift products) by the direct SIMD loop
 * `conv_direct` (simd-direct-conv.ts): each output vector is the bias plus one multiply-add per
 * window value, relu applied before the store, rows of outputs in blocks on the tile pool. The
 * MNIST convnet's first layer (28×28×1 → 26×26×32, batch 128) takes ~1.5 ms instead of XNNPACK's
 * ~3.6 (bias and relu included).
 *
 * Each output is the bias, then the window's values in (kh, kw, c) order, as XNNPACK sums them.
 * Any stride; a padded input ('same', explicit padding) is first copied into a zeroed buffer.
 * Output channels must be a multiple of 16; dilations and NCHW stay on XNNPACK.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { blockShare, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import { simdKernelsFor } from './simd-kernels.js';
import { forwardConvInfo, type ConvEpilogue } from './conv-window.js';
import { floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';

/** At or above this many values per filter row (KW·C) the row-shift products are faster. */
export const DIRECT_BELOW = 16;

/** x [N, H, W, C] copied into the middle of a zeroed [N, H + top + bottom, W + left + right, C]. */
function padInput(
  x: Float32Array,
  padded: Float32Array,
  shape: number[],
  top: number,
  left: number,
  paddedShape: number[],
): void {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const [, paddedHeight, paddedWidth] = paddedShape as [number, number, number];
  padded.fill(0);
  const row = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let h = 0; h < height; h++) {
      const from = (n * height + h) * row;
      padded.set(x.subarray(from, from + row), ((n * paddedHeight + h + top) * paddedWidth + left) * channels);
    }
  }
}

/**
 * The convolution by the direct loop, or null when it is not one it covers (see the module
 * comment): the caller then tries the next formulation.
 */
export function conv2dDirect(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
  { bias, relu }: ConvEpilogue,
): TensorInfo | null {
  const info = forwardConvInfo(x, filter, bias, attrs);
  const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
  if (info === null || outChannels % 16 !== 0 || kw * inChannels >= DIRECT_BELOW) return null;
  const { top, bottom, left, right } = info.padInfo;
  const [batch, height, width] = x.shape as [number, number, number, number];
  const paddedShape = [batch, height + top + bottom, width + left + right, inChannels];
  const [, paddedHeight, paddedWidth] = paddedShape as [number, number, number];
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  const fits =
    Math.min(top, bottom, left, right) >= 0 &&
    (outHeight - 1) * strideHeight + kh <= paddedHeight &&
    (outWidth - 1) * strideWidth + kw <= paddedWidth;
  const simd = simdKernelsFor(backend);
  if (!fits || simd === null || batch * outHeight * outWidth === 0) return null;

  const padded = paddedHeight !== height || paddedWidth !== width;
  const taps = kh * kw * inChannels;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  const input = padded ? backend.makeOutput(paddedShape, 'float32') : x;
  const table = backend.makeOutput([2 * taps], 'int32');
  const zeros = bias === null ? backend.makeOutput([outChannels], 'float32') : null;
  try {
    // Views and addresses only after every allocation (heap growth detaches views).
    if (padded) padInput(floatView(backend, x), floatView(backend, input), x.shape, top, left, paddedShape);
    if (zeros !== null) floatView(backend, zeros).fill(0);
    const offsets = backend.typedArrayFromHeap(table) as Int32Array;
    let t = 0;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        for (let c = 0; c < inChannels; c++, t++) {
          offsets[2 * t] = 4 * ((a * paddedWidth + b) * inChannels + c);
          offsets[2 * t + 1] = 4 * ((a * kw + b) * inChannels + c) * outChannels;
        }
      }
    }
    const [yAt, inputAt, tableAt, filterAt] = [y, input, table, filter].map((info) => heapAddress(backend, info));
    const biasAt = heapAddress(backend, bias ?? zeros!);
    const rows = batch * outHeight;
    const pool = tilePoolFor(rows * outWidth * outChannels * taps);
    const job = loopJob(pool, simd, relu ? 'conv_direct_relu' : 'conv_direct', blockShare(rows, pool));
    for (let n = 0; n < batch; n++) {
      for (let oh = 0; oh < outHeight; oh++) {
        job.call(
          yAt + 4 * (n * outHeight + oh) * outWidth * outChannels,
          inputAt + 4 * (n * paddedHeight + oh * strideHeight) * paddedWidth * inChannels,
          tableAt,
          taps,
          filterAt,
          biasAt,
          outWidth,
          4 * strideWidth * inChannels,
          4 * outChannels,
          outChannels / 16,
        );
      }
    }
    job.run();
    return y;
  } catch (error) {
    release(backend, y);
    throw error;
  } finally {
    release(backend, table, ...(padded ? [input] : []), ...(zeros === null ? [] : [zeros]));
  }
}
