/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend (NHWC).
 *
 * dx[n, ih, iw, c] = Σ_{oh, ow, kh, kw, m} dy[n, oh, ow, c·M + m] · w[kh, kw, c, m]
 * over the windows with ih = oh·s − padTop + kh·d and iw = ow·s − padLeft + kw·d.
 *
 * Normally computed on XNNPACK via the forward depthwise kernel (depthwise-input-via-forward.ts);
 * explicit paddings that would need negative correlation padding fall back to a scatter loop:
 * each dy position adds its contribution into the input positions its window touched.
 */
import { DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { depthwiseGeometry, forEachDepthwiseWindow } from './depthwise-geometry.js';
import { depthwiseInputViaForward } from './depthwise-input-via-forward.js';
import { asWasmBackend, floatView } from './wasm-backend.js';

/** Test hook: forces the scatter loop so both paths can be checked. */
export const forceLoopPath = { enabled: false };

function depthwiseBackpropInput(args: {
  inputs: Record<string, TensorInfo>;
  backend: object;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const name = DepthwiseConv2dNativeBackpropInput;
  const backend = asWasmBackend(args.backend, name);
  const dy = args.inputs['dy'];
  const filter = args.inputs['filter'];
  if (dy === undefined || filter === undefined) throw new Error(`${name}: inputs 'dy' and 'filter' are required.`);
  const attrs = args.attrs ?? {};
  const inputShape = attrs['inputShape'] as number[];
  const g = depthwiseGeometry(name, inputShape, filter.shape, dy.shape, attrs);
  const { channels: C, multiplier: M } = g;
  if (dy.dtype === 'float32' && filter.dtype === 'float32' && !forceLoopPath.enabled) {
    const fast = depthwiseInputViaForward(backend, dy, filter, g);
    if (fast !== null) return { dataId: fast.dataId, dtype: 'float32', shape: [...inputShape] };
  }

  const out = backend.makeOutput([...inputShape], 'float32');
  const dx = floatView(backend, out);
  dx.fill(0);
  const dys = floatView(backend, dy);
  const w = floatView(backend, filter);
  forEachDepthwiseWindow(g, (xBase, dyBase, wBase) => {
    if (M === 1) {
      for (let c = 0; c < C; c++) dx[xBase + c] += dys[dyBase + c] * w[wBase + c];
    } else {
      for (let c = 0; c < C; c++) {
        const o = c * M;
        let s = 0;
        for (let m = 0; m < M; m++) s += dys[dyBase + o + m] * w[wBase + o + m];
        dx[xBase + c] += s;
      }
    }
  });
  return out;
}

/** Kernel registration for the 'wasm' backend. */
export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};
