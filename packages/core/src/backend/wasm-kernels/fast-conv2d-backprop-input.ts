/**
 * Speed fix for the WASM backend's own Conv2DBackpropInput kernel, a plain loop that takes
 * ~230 ms per MNIST-convnet step (batch 128, 13×13×32 ← 11×11×64): 10× the forward conv.
 *
 * The input gradient of a convolution is a stride-1 correlation of dy (with stride−1 zeros
 * inserted between rows/columns) and the spatially flipped filter with its channel axes swapped:
 *   dx[n, ih, iw, i] = Σ_{kh, kw, o} dyUp[n, ih + padTop − kh, iw + padLeft − kw, o] · w[kh, kw, i, o]
 * so it runs on the backend's XNNPACK Conv2D forward kernel with explicit padding
 * ((KH−1) − padTop, H − Hup + padTop) vertically, likewise horizontally. NCHW inputs and
 * geometries that would need negative padding use the original kernel.
 */
import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { conv2dInputByRowShifts } from './conv2d-input-by-row-shifts.js';
import { convWindowOf, inputGradientInfo, type ConvWindow } from './conv-window.js';
import { asWasmBackend, floatView, release, runWasmKernel, type WasmBackend } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with stride-1 input gradients on the forward formulation instead of row-shift products (tests, benchmarks). */
export function withoutRowShifts<T>(fn: () => T): T {
  return fix.without(fn);
}

/** Writes dy into a zeroed buffer at every stride-th row and column. */
function insertZeros(
  dy: Float32Array,
  up: Float32Array,
  g: ConvWindow,
  batch: number,
  upHeight: number,
  upWidth: number,
  depth: number,
): void {
  up.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      const upRow = (n * upHeight + oh * g.strideHeight) * upWidth;
      const dyRow = (n * g.outHeight + oh) * g.outWidth;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const src = (dyRow + ow) * depth;
        up.set(dy.subarray(src, src + depth), (upRow + ow * g.strideWidth) * depth);
      }
    }
  }
}

/** dx via the forward Conv2D kernel, or null when this geometry needs the original kernel. */
export function conv2dInputViaForward(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo | null {
  const info = inputGradientInfo(dy, filter, attrs);
  if (info === null) return null;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const [kh, kw, inChannels, outChannels] = filter.shape as [number, number, number, number];
  const g = convWindowOf(info);
  const batch = inputShape[0];
  const upHeight = (g.outHeight - 1) * g.strideHeight + 1;
  const upWidth = (g.outWidth - 1) * g.strideWidth + 1;
  const padTop = kh - 1 - g.padTop;
  const padLeft = kw - 1 - g.padLeft;
  const padBottom = g.inHeight - upHeight + g.padTop;
  const padRight = g.inWidth - upWidth + g.padLeft;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;

  const flipped = backend.makeOutput([kh, kw, outChannels, inChannels], 'float32');
  const strided = g.strideHeight !== 1 || g.strideWidth !== 1;
  const upsampled = strided ? backend.makeOutput([batch, upHeight, upWidth, outChannels], 'float32') : dy;
  // Views only after all allocations (heap growth detaches views).
  const w = floatView(backend, filter);
  const wFlipped = floatView(backend, flipped);
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    const src = t * inChannels * outChannels;
    const dst = (taps - 1 - t) * inChannels * outChannels;
    for (let i = 0; i < inChannels; i++) {
      for (let o = 0; o < outChannels; o++) wFlipped[dst + o * inChannels + i] = w[src + i * outChannels + o]!;
    }
  }
  if (strided)
    insertZeros(floatView(backend, dy), floatView(backend, upsampled), g, batch, upHeight, upWidth, outChannels);
  try {
    const dx = runWasmKernel(
      backend,
      'Conv2D',
      { x: upsampled, filter: flipped },
      {
        strides: 1,
        dilations: 1,
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    return { dataId: dx.dataId, dtype: 'float32', shape: [...inputShape] };
  } finally {
    release(backend, flipped, ...(strided ? [upsampled] : []));
  }
}

/**
 * Replaces the 'wasm' Conv2DBackpropInput with row-shift products on the SIMD tiles where they apply
 * (conv2d-input-by-row-shifts.ts), else the XNNPACK formulation above (idempotent).
 */
export function registerWasmFastConv2DBackpropInput(): void {
  wrapKernel('registerWasmFastConv2DBackpropInput', Conv2DBackpropInput, 'wasm', (args, inner) => {
    const backend = asWasmBackend(args.backend, Conv2DBackpropInput);
    const dy = args.inputs['dy'] as TensorInfo;
    const filter = args.inputs['filter'] as TensorInfo;
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const byRowShifts = fix.on ? conv2dInputByRowShifts(backend, dy, filter, attrs) : null;
    return byRowShifts ?? conv2dInputViaForward(backend, dy, filter, attrs) ?? inner(args);
  });
}
