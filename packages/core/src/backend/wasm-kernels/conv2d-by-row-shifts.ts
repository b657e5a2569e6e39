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
 * Short reductions (KW·C < 16, e.g. a first layer over one channel) and outputs whose channel count
 * is not a multiple of 16 stay on XNNPACK, as do strides, dilations and NCHW.
 */
import { Conv2D, FusedConv2D, backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { copyRows, packPanels, runRowShiftProducts } from './row-shift-products.js';
import { simdKernelsFor } from './simd-kernels.js';
import { asWasmBackend, floatView, heapAddress, pair, release, type WasmBackend } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with every convolution on XNNPACK (for comparisons in tests and benchmarks). */
export function withoutRowShiftConv2D<T>(fn: () => T): T {
  return fix.without(fn);
}

/** Below this reduction length (KW·C) a product tile spends more on its output than on the sum. */
const MIN_REDUCTION = 16;

/** The epilogue of a fused convolution the row shifts apply. */
export interface ConvEpilogue {
  bias: TensorInfo | null;
  relu: boolean;
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
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
  if (bias !== null && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== outChannels)) return null;
  const dilations = pair(attrs['dilations'] as number | [number, number] | undefined, 1);
  if (dilations[0] !== 1 || dilations[1] !== 1 || outChannels % 16 !== 0 || kw * inChannels < MIN_REDUCTION)
    return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [batch, height, width] = x.shape as [number, number, number, number];
  const paddedHeight = height + top + bottom;
  const paddedWidth = width + left + right;
  const { outHeight, outWidth } = info;
  const covered =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.min(top, bottom, left, right) >= 0 &&
    batch > 0 &&
    outHeight > 0 &&
    outWidth > 0 &&
    outHeight === paddedHeight - kh + 1 &&
    outWidth === paddedWidth - kw + 1;
  const simd = simdKernelsFor(backend);
  if (!covered || simd === null) return null;

  const padded = paddedHeight !== height || paddedWidth !== width;
  const wide = paddedWidth !== outWidth;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  const input = padded ? backend.makeOutput([batch, paddedHeight, paddedWidth, inChannels], 'float32') : x;
  const wideOut = wide ? backend.makeOutput([batch, outHeight, paddedWidth, outChannels], 'float32') : y;
  const k = kw * inChannels;
  const packed = backend.makeOutput([kh * k * outChannels], 'float32');
  try {
    // Views and addresses only after every allocation (heap growth detaches views).
    const filterView = floatView(backend, filter);
    const packedView = floatView(backend, packed);
    for (let row = 0; row < kh; row++) {
      const base = row * k * outChannels;
      packPanels(packedView, base, k, outChannels, (p, o) => filterView[base + p * outChannels + o]!);
    }
    if (padded) {
      const inputView = floatView(backend, input);
      inputView.fill(0);
      const rowLength = width * inChannels;
      for (let n = 0; n < batch; n++) {
        const start = ((n * paddedHeight + top) * paddedWidth + left) * inChannels;
        const paddedRow = paddedWidth * inChannels;
        copyRows(
          floatView(backend, x),
          n * height * rowLength,
          rowLength,
          inputView,
          start,
          paddedRow,
          height,
          rowLength,
        );
      }
    }
    startOutput(floatView(backend, wideOut), bias === null ? null : floatView(backend, bias));
    runRowShiftProducts(simd, {
      images: batch,
      out: heapAddress(backend, wideOut),
      outImageStride: 4 * outHeight * paddedWidth * outChannels,
      a: heapAddress(backend, input),
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
      const copy = relu ? simd.copy_rows_relu : simd.copy_rows;
      const rowBytes = 4 * outWidth * outChannels;
      copy(
        heapAddress(backend, y),
        heapAddress(backend, wideOut),
        batch * outHeight,
        rowBytes / 16,
        rowBytes,
        4 * paddedWidth * outChannels,
      );
    }
    return y;
  } catch (error) {
    release(backend, y);
    throw error;
  } finally {
    release(backend, packed, ...(padded ? [input] : []), ...(wide ? [wideOut] : []));
  }
}

/** Fills the output with the bias in every position (or zeros): the products add into it. */
function startOutput(out: Float32Array, bias: Float32Array | null): void {
  if (bias === null) {
    out.fill(0);
    return;
  }
  out.set(bias);
  // Doubling copies: log2(positions) calls.
  for (let filled = bias.length; filled < out.length; filled *= 2) {
    out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
  }
}

/**
 * Wraps the registered 'wasm' Conv2D and FusedConv2D (bias, linear or relu activation) with the
 * row-shift products (idempotent). Throws if the kernels are not registered.
 */
export function registerWasmRowShiftConv2D(): void {
  wrapKernel('registerWasmRowShiftConv2D', Conv2D, 'wasm', (args, inner) => {
    if (!fix.on) return inner(args);
    const backend = asWasmBackend(args.backend, Conv2D);
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    return conv2dByRowShifts(backend, x, filter, attrs, { bias: null, relu: false }) ?? inner(args);
  });
  wrapKernel('registerWasmRowShiftConv2D', FusedConv2D, 'wasm', (args, inner) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const activation = attrs['activation'] ?? 'linear';
    const inputs = args.inputs as Partial<Record<'x' | 'filter' | 'bias' | 'preluActivationWeights', TensorInfo>>;
    const plain = (activation === 'linear' || activation === 'relu') && inputs.preluActivationWeights == null;
    if (!fix.on || !plain || inputs.x == null || inputs.filter == null) return inner(args);
    const backend = asWasmBackend(args.backend, FusedConv2D);
    const epilogue = { bias: inputs.bias ?? null, relu: activation === 'relu' };
    return conv2dByRowShifts(backend, inputs.x, inputs.filter, attrs, epilogue) ?? inner(args);
  });
}
