/**
 * The input gradient of a stride-1 NHWC convolution by row-shift products (row-shift-products.ts):
 *   dx[n, oh − padTop + kh, ow − padLeft + kw, :] += dy[n, oh, ow, :] · W[kh, kw]ᵀ
 * The forward-convolution formulation (fast-conv2d-backprop-input.ts) pads dy by the filter size
 * all round and multiplies the zeros too: for the MNIST convnet's 11×11 → 13×13 gradient that is
 * 797 MFLOP for 571 of real work. Here dy's rows are padded to the "full" output's width
 * Wp = outWidth + KW − 1 (zero columns at each row's end, and KW − 1 zero positions before each
 * image): full-output position R then takes, for filter row kh, the KW·O consecutive floats of dy
 * positions R − kh·Wp − (KW − 1) … R − kh·Wp, i.e. taps kw = KW − 1 … 0, so each filter row is one
 * product per image with B_kh[(j, o), i] = W[kh, KW − 1 − j, i, o]. The full output
 * ((outHeight + KH − 1) × Wp) is dx itself for 'valid' padding, and is cropped to dx otherwise.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convWindowOf, inputGradientInfo } from './conv-window.js';
import { runRowCopies } from './row-copies.js';
import { packPanels, runRowShiftProducts } from './row-shift-products.js';
import { simdKernelsFor } from './simd-kernels.js';
import { floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';

/**
 * dx by row-shift products, or null when this gradient is not one they cover (NCHW, strides other
 * than 1, input channels not a multiple of 16 or output channels not of 4, padding beyond the full
 * output, or no SIMD access to the heap): the caller then uses another formulation.
 */
export function conv2dInputByRowShifts(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo | null {
  const info = inputGradientInfo(dy, filter, attrs);
  if (info === null) return null;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const filterShape = filter.shape as [number, number, number, number];
  const w = convWindowOf(info);
  const [kh, kw, inChannels, outChannels] = filterShape;
  const batch = inputShape[0];
  const fullHeight = w.outHeight + kh - 1;
  const fullWidth = w.outWidth + kw - 1;
  const covered =
    w.strideHeight === 1 &&
    w.strideWidth === 1 &&
    inChannels % 16 === 0 &&
    outChannels % 4 === 0 &&
    batch > 0 &&
    w.outHeight > 0 &&
    w.outWidth > 0 &&
    w.padTop >= 0 &&
    w.padLeft >= 0 &&
    w.padTop + w.inHeight <= fullHeight &&
    w.padLeft + w.inWidth <= fullWidth;
  const simd = simdKernelsFor(backend);
  if (!covered || simd === null) return null;

  const cropped = fullHeight !== w.inHeight || fullWidth !== w.inWidth;
  // Per image: KW − 1 zero positions, then outHeight rows of fullWidth positions.
  const dyImageRows = kw - 1 + w.outHeight * fullWidth;
  const dx = backend.makeOutput([...inputShape], 'float32');
  const full = cropped ? backend.makeOutput([batch, fullHeight, fullWidth, inChannels], 'float32') : dx;
  const dyRows = backend.makeOutput([batch, dyImageRows, outChannels], 'float32');
  const k = kw * outChannels;
  const packed = backend.makeOutput([kh * k * inChannels], 'float32');
  const zeros = backend.makeOutput([Math.max(inChannels, (kw - 1) * outChannels)], 'float32');
  try {
    // Views and addresses only after every allocation (heap growth detaches views).
    const filterView = floatView(backend, filter);
    const packedView = floatView(backend, packed);
    for (let row = 0; row < kh; row++) {
      packPanels(packedView, row * k * inChannels, k, inChannels, (p, i) => {
        const [j, o] = [Math.floor(p / outChannels), p % outChannels];
        return filterView[((row * kw + kw - 1 - j) * inChannels + i) * outChannels + o]!;
      });
    }
    const zerosAt = heapAddress(backend, zeros);
    floatView(backend, zeros).fill(0);
    const [dyAt, dyRowsAt, fullAt] = [
      heapAddress(backend, dy),
      heapAddress(backend, dyRows),
      heapAddress(backend, full),
    ];
    // The padding of dy's rows zeroed: per image, KW − 1 positions before each row's data (the
    // first run is the image's leading zeros, the others end the rows before) — Wp apart, one copy
    // each; then the full output zeroed, as the tiles add into it.
    const padBytes = 4 * (kw - 1) * outChannels;
    const padRuns = Array.from({ length: kw > 1 ? batch : 0 }, (_, n) => ({
      dst: dyRowsAt + 4 * n * dyImageRows * outChannels,
      src: zerosAt,
      rows: w.outHeight + 1,
      groups: padBytes / 16,
      dstStride: 4 * fullWidth * outChannels,
      srcStride: 0,
    }));
    runRowCopies(simd, [
      ...padRuns,
      {
        dst: fullAt,
        src: zerosAt,
        rows: batch * fullHeight * fullWidth,
        groups: inChannels / 4,
        dstStride: 4 * inChannels,
        srcStride: 0,
      },
    ]);
    const dyRowBytes = 4 * w.outWidth * outChannels;
    runRowCopies(
      simd,
      Array.from({ length: batch }, (_, n) => ({
        dst: dyRowsAt + 4 * (n * dyImageRows + kw - 1) * outChannels,
        src: dyAt + n * w.outHeight * dyRowBytes,
        rows: w.outHeight,
        groups: dyRowBytes / 16,
        dstStride: 4 * fullWidth * outChannels,
        srcStride: dyRowBytes,
      })),
    );
    const packedAt = heapAddress(backend, packed);
    runRowShiftProducts(simd, {
      images: batch,
      out: fullAt,
      outImageStride: 4 * fullHeight * fullWidth * inChannels,
      a: dyRowsAt,
      aImageStride: 4 * dyImageRows * outChannels,
      aRowStep: 4 * outChannels,
      rows: w.outHeight * fullWidth,
      k,
      n: inChannels,
      products: Array.from({ length: kh }, (_, row) => ({
        outOffset: 4 * row * fullWidth * inChannels,
        aOffset: 0,
        b: packedAt + 4 * row * k * inChannels,
      })),
    });
    if (cropped) {
      const dxRowBytes = 4 * w.inWidth * inChannels;
      const dxAt = heapAddress(backend, dx);
      runRowCopies(
        simd,
        Array.from({ length: batch }, (_, n) => ({
          dst: dxAt + n * w.inHeight * dxRowBytes,
          src: fullAt + 4 * ((n * fullHeight + w.padTop) * fullWidth + w.padLeft) * inChannels,
          rows: w.inHeight,
          groups: dxRowBytes / 16,
          dstStride: dxRowBytes,
          srcStride: 4 * fullWidth * inChannels,
        })),
      );
    }
    return dx;
  } catch (error) {
    release(backend, dx);
    throw error;
  } finally {
    release(backend, packed, zeros, dyRows, ...(cropped ? [full] : []));
  }
}
