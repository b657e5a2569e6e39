/**
 * Speed fix for the WASM backend's own MaxPoolGrad kernel (~110 ms per MNIST-convnet step).
 *
 * One pass over the windows in NHWC order: for each output position the inner loops run over
 * the contiguous channels, keeping the first maximum per channel (TensorFlow's tie rule), and
 * the output gradient is added at that input position. Reads and writes the wasm heap directly.
 */
import { MaxPoolGrad, backend_util, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, floatView } from './wasm-backend.js';

const installed = new WeakSet<KernelFunc>();

function maxPoolGrad(
  args: { inputs: Record<string, TensorInfo>; backend: object; attrs?: NamedAttrMap },
  inner: KernelFunc,
): TensorInfo | TensorInfo[] {
  const dy = args.inputs['dy'] as TensorInfo;
  const input = args.inputs['input'] as TensorInfo;
  if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return inner(args);
  const backend = asWasmBackend(args.backend, MaxPoolGrad);
  const attrs = args.attrs ?? {};
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs['filterSize'] as number | [number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const [batch, height, width, channels] = input.shape as [number, number, number, number];
  const out = backend.makeOutput([...input.shape], 'float32');
  const dx = floatView(backend, out);
  const x = floatView(backend, input);
  const g = floatView(backend, dy);
  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight - top + kh;
          if (ih < 0 || ih >= height) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - left + kw;
            if (iw < 0 || iw >= width) continue;
            const base = ((n * height + ih) * width + iw) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c]!;
              // Strictly greater keeps the first maximum; a NaN input wins so it propagates.
              if (v > best[c]! || where[c] === -1 || Number.isNaN(v)) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const gBase = ((n * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const at = where[c]!;
          if (at >= 0) dx[at] = dx[at]! + g[gBase + c]!;
        }
      }
    }
  }
  return out;
}

/** Replaces the 'wasm' MaxPoolGrad with the channel-vectorized loop above (idempotent). */
export function registerWasmFastMaxPoolGrad(): void {
  const original = getKernel(MaxPoolGrad, 'wasm');
  if (original == null)
    throw new Error(
      `registerWasmFastMaxPoolGrad: no '${MaxPoolGrad}' kernel for 'wasm'; import @tensorflow/tfjs-backend-wasm first.`,
    );
  if (installed.has(original.kernelFunc)) return;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => maxPoolGrad(args as Parameters<typeof maxPoolGrad>[0], inner);
  installed.add(kernelFunc);
  unregisterKernel(MaxPoolGrad, 'wasm');
  registerKernel({ ...original, kernelFunc });
}
