/**
 * Speed fix for stride-1 NHWC convolutions on the WASM backend (Conv2D, and FusedConv2D with a
 * bias and a linear or relu activation): row-shift products on the SIMD tiles
 * (row-shift-products.ts) instead of XNNPACK. With fused multiply-adds the tiles run at about the
 * CPU's peak: the MNIST convnet's 13×13×32 → 11×11×64 convolution (batch 128) takes 16 ms instead
 * of XNNPACK's 20, though it also computes the outputs of the input's last KW − 1 columns.
 *
 * The output is computed "wide", with the (padded) input's width Wp: for filter row kh, output
 * position r = oh·Wp + ow reads the KW·C consecutive floats of input positions r + kh·Wp …
 * r + kh·Wp + KW − 1, one product per filter row and image with B_kh = W[kh] as [KW·C, O] (its
 * layout already). A padded input ('same', explicit padding) is first copied into a zeroed buffer.
 * One SIMD pass then drops the wide output's extra columns and applies relu. With a bias the wide
 * output starts as the bias, as XNNPACK's kernels start from it.
 *
 * Short reductions (KW·C < 16, e.g. a first layer over one channel), outputs whose channel count
 * is not a multiple of 16, padded inputs whose channel count is not a multiple of 4, strides,
 * dilations and NCHW stay on XNNPACK. Copies and fills run as SIMD row copies on the tile pool.
 */
import { Conv2D, FusedConv2D } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { runRowCopies } from './row-copies.js';
import { packPanels, runRowShiftProducts } from './row-shift-products.js';
import { conv2dDirect, DIRECT_BELOW } from './conv2d-direct.js';
import { simdKernelsFor } from './simd-kernels.js';
import { forwardConvInfo, type ConvEpilogue } from './conv-window.js';
import { asWasmBackend, floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with every convolution on XNNPACK (for comparisons in tests and benchmarks). */
export function withoutRowShiftConv2D<T>(fn: () => T): T {
  return fix.without(fn);
}

/**
 * The convolution by row-shift products, or null when it is not one they cover (see the module
 * comment): the caller then runs the wrapped kernel.
 */
export function conv2dByRowShifts(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
  epilogue: ConvEpilogue,
): TensorInfo | null {
  const { bias, relu } = epilogue;
  const info = forwardConvInfo(x, filter, bias, attrs);
  const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
  if (info === null || outChannels % 16 !== 0 || kw * inChannels < DIRECT_BELOW) return null;
  const { top, bottom, left, right } = info.padInfo;
  const [batch, height, width] = x.shape as [number, number, number, number];
  const paddedHeight = height + top + bottom;
  const paddedWidth = width + left + right;
  const { outHeight, outWidth } = info;
  const padded = paddedHeight !== height || paddedWidth !== width;
  const covered =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.min(top, bottom, left, right) >= 0 &&
    batch > 0 &&
    outHeight > 0 &&
    outWidth > 0 &&
    outHeight === paddedHeight - kh + 1 &&
    outWidth === paddedWidth - kw + 1 &&
    (!padded || inChannels % 4 === 0);
  const simd = simdKernelsFor(backend);
  if (!covered || simd === null) return null;

  const wide = paddedWidth !== outWidth;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  const input = padded ? backend.makeOutput([batch, paddedHeight, paddedWidth, inChannels], 'float32') : x;
  const wideOut = wide ? backend.makeOutput([batch, outHeight, paddedWidth, outChannels], 'float32') : y;
  const k = kw * inChannels;
  const packed = backend.makeOutput([kh * k * outChannels], 'float32');
  const zeros = backend.makeOutput([Math.max(inChannels, outChannels)], 'float32');
  try {
    // Views and addresses only after every allocation (heap growth detaches views).
    const filterView = floatView(backend, filter);
    const packedView = floatView(backend, packed);
    for (let row = 0; row < kh; row++) {
      const base = row * k * outChannels;
      packPanels(packedView, base, k, outChannels, (p, o) => filterView[base + p * outChannels + o]!);
    }
    const zerosAt = heapAddress(backend, zeros);
    floatView(backend, zeros).fill(0);
    const [xAt, inputAt, wideAt] = [
      heapAddress(backend, x),
      heapAddress(backend, input),
      heapAddress(backend, wideOut),
    ];
    // The wide output starts as the bias in every position (or zeros): the tiles add into it.
    const start = bias === null ? zerosAt : heapAddress(backend, bias);
    const rowBytes = 4 * outChannels;
    const firstCopies = [
      {
        dst: wideAt,
        src: start,
        rows: batch * outHeight * paddedWidth,
        groups: outChannels / 4,
        dstStride: rowBytes,
        srcStride: 0,
      },
    ];
    // A padded input: zeros, then each image's rows into place.
    if (padded) {
      const paddedRows = batch * paddedHeight * paddedWidth;
      firstCopies.push({
        dst: inputAt,
        src: zerosAt,
        rows: paddedRows,
        groups: inChannels / 4,
        dstStride: 4 * inChannels,
        srcStride: 0,
      });
    }
    runRowCopies(simd, firstCopies);
    if (padded) {
      const xRowBytes = 4 * width * inChannels;
      runRowCopies(
        simd,
        Array.from({ length: batch }, (_, n) => ({
          dst: inputAt + 4 * ((n * paddedHeight + top) * paddedWidth + left) * inChannels,
          src: xAt + n * height * xRowBytes,
          rows: height,
          groups: xRowBytes / 16,
          dstStride: 4 * paddedWidth * inChannels,
          srcStride: xRowBytes,
        })),
      );
    }
    runRowShiftProducts(simd, {
      images: batch,
      out: wideAt,
      outImageStride: 4 * outHeight * paddedWidth * outChannels,
      a: inputAt,
      aImageStride: 4 * paddedHeight * paddedWidth * inChannels,
      aRowStep: 4 * inChannels,
      rows: (outHeight - 1) * paddedWidth + outWidth,
      k,
      n: outChannels,
      products: Array.from({ length: kh }, (_, row) => ({
        outOffset: 0,
        aOffset: 4 * row * paddedWidth * inChannels,
        b: heapAddress(backend, packed) + 4 * row * k * outChannels,
      })),
    });
    if (wide || relu) {
      // Rows of the wide output (batch · outHeight of them) to y's, relu applied on the way.
      const yRowBytes = 4 * outWidth * outChannels;
      const compact = { dst: heapAddress(backend, y), src: wideAt, rows: batch * outHeight, groups: yRowBytes / 16 };
      runRowCopies(simd, [{ ...compact, dstStride: yRowBytes, srcStride: 4 * paddedWidth * outChannels }], relu);
    }
    return y;
  } catch (error) {
    release(backend, y);
    throw error;
  } finally {
    release(backend, packed, zeros, ...(padded ? [input] : []), ...(wide ? [wideOut] : []));
  }
}

/**
 * Wraps the registered 'wasm' Conv2D and FusedConv2D (bias, linear or relu activation) with the
 * direct loop for few input channels (conv2d-direct.ts) and the row-shift products (idempotent).
 * Throws if the kernels are not registered.
 */
export function registerWasmRowShiftConv2D(): void {
  wrapKernel('registerWasmRowShiftConv2D', Conv2D, 'wasm', (args, inner) => {
    if (!fix.on) return inner(args);
    const backend = asWasmBackend(args.backend, Conv2D);
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const epilogue = { bias: null, relu: false };
    return (
      conv2dDirect(backend, x, filter, attrs, epilogue) ??
      conv2dByRowShifts(backend, x, filter, attrs, epilogue) ??
      inner(args)
    );
  });
  wrapKernel('registerWasmRowShiftConv2D', FusedConv2D, 'wasm', (args, inner) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const activation = attrs['activation'] ?? 'linear';
    const inputs = args.inputs as Partial<Record<'x' | 'filter' | 'bias' | 'preluActivationWeights', TensorInfo>>;
    const plain = (activation === 'linear' || activation === 'relu') && inputs.preluActivationWeights == null;
    if (!fix.on || !plain || inputs.x == null || inputs.filter == null) return inner(args);
    const backend = asWasmBackend(args.backend, FusedConv2D);
    const epilogue = { bias: inputs.bias ?? null, relu: activation === 'relu' };
    const { x, filter } = inputs;
    return (
      conv2dDirect(backend, x, filter, attrs, epilogue) ??
      conv2dByRowShifts(backend, x, filter, attrs, epilogue) ??
      inner(args)
    );
  });
}
