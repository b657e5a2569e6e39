/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend (NHWC).
 *
 * dW[kh, kw, c, m] = Σ_{n, oh, ow} x[n, ih, iw, c] · dy[n, oh, ow, c·M + m]
 * with ih = oh·s − padTop + kh·d, iw = ow·s − padLeft + kw·d.
 *
 * The work is O(N·OH·OW·KH·KW·C·M) — no Cin×Cout product — so a single pass over dy with
 * contiguous inner loops is as fast as a matmul formulation and needs no patch buffer.
 * Sums are accumulated in float64 for accuracy on large batches.
 */
import { DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { depthwiseGeometry, forEachDepthwiseWindow } from './depthwise-geometry.js';
import { asWasmBackend, floatView } from './wasm-backend.js';

function depthwiseBackpropFilter(args: {
  inputs: Record<string, TensorInfo>;
  backend: object;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const name = DepthwiseConv2dNativeBackpropFilter;
  const backend = asWasmBackend(args.backend, name);
  const x = args.inputs['x'];
  const dy = args.inputs['dy'];
  if (x === undefined || dy === undefined) throw new Error(`${name}: inputs 'x' and 'dy' are required.`);
  const attrs = args.attrs ?? {};
  const filterShape = attrs['filterShape'] as number[];
  const g = depthwiseGeometry(name, x.shape, filterShape, dy.shape, attrs);
  const { channels: C, multiplier: M } = g;
  const outDepth = C * M;
  const sums = new Float64Array(g.filterHeight * g.filterWidth * outDepth);

  const out = backend.makeOutput([g.filterHeight, g.filterWidth, C, M], 'float32');
  const xs = floatView(backend, x);
  const dys = floatView(backend, dy);
  forEachDepthwiseWindow(g, (xBase, dyBase, sumBase) => {
    if (M === 1) {
      for (let c = 0; c < C; c++) sums[sumBase + c] += xs[xBase + c] * dys[dyBase + c];
    } else {
      for (let c = 0; c < C; c++) {
        const xv = xs[xBase + c];
        const o = c * M;
        for (let m = 0; m < M; m++) sums[sumBase + o + m] += xv * dys[dyBase + o + m];
      }
    }
  });
  floatView(backend, out).set(sums);
  return out;
}

/** Kernel registration for the 'wasm' backend. */
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
