/**
 * Speed fix for the WASM backend's own MaxPoolGrad kernel (~110 ms per MNIST-convnet step).
 *
 * One pass over the windows in NHWC order (see max-pool-windows.ts). Per output position the
 * channels are walked as contiguous vectors, the first maximum of each channel's window wins
 * ties (TensorFlow's rule; a NaN input wins so it propagates), and the output gradient is added
 * at that input position of the zeroed dx (zeroed by SIMD row copies). With a multiple of 4 channels
 * the per-window work runs in the SIMD loop `pool_max_grad` (simd-kernels.ts), otherwise in the
 * same loop in JS. Rows of
 * windows go to the tile pool's threads when every window lies inside the input and windows do
 * not overlap (each dx entry is then written by one thread, with one addition).
 */
import { MaxPoolGrad, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import { loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import {
  forEachWindowRun,
  maxTaps,
  poolGeometry,
  runsPerBlock,
  runsSplitAcrossThreads,
  type PoolGeometry,
} from './max-pool-windows.js';
import { ZERO_ROW_FLOATS, zeroFill } from './row-copies.js';
import { simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { asWasmBackend, floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';

function gradientBySimd(
  simd: SimdKernels,
  backend: WasmBackend,
  g: PoolGeometry,
  input: TensorInfo,
  dy: TensorInfo,
  out: TensorInfo,
): void {
  const scratch = backend.makeOutput([2 * maxTaps(g)], 'int32');
  const zeros = backend.makeOutput([ZERO_ROW_FLOATS], 'float32');
  // Windows that cover every input exactly once write every dx entry: no zeroing, stores only.
  const { info } = g;
  const tiling =
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.strideHeight === info.filterHeight &&
    info.strideWidth === info.filterWidth &&
    g.outHeight * info.strideHeight === g.height &&
    g.outWidth * info.strideWidth === g.width;
  // Work: x and dx (zeroed first unless tiling), dy.
  const size = util.sizeFromShape(input.shape);
  const work = (tiling ? 2 : 3) * size + util.sizeFromShape(dy.shape);
  const pool = runsSplitAcrossThreads(g, true) ? tilePoolFor(work) : null;
  // Addresses and views only after every allocation (heap growth detaches views).
  floatView(backend, zeros).fill(0);
  // (Before the gradient's job: a pool runs one job at a time. On the pool only with the gradient.)
  if (!tiling) zeroFill(simd, heapAddress(backend, out), 4 * size, heapAddress(backend, zeros), pool !== null);
  const job = loopJob(
    pool,
    simd,
    tiling ? 'pool_max_grad_tiling' : 'pool_max_grad',
    runsPerBlock(g, pool?.threads ?? 1),
  );
  const taps = backend.typedArrayFromHeap(scratch) as Int32Array;
  const tapsAt = taps.byteOffset;
  const xAt = heapAddress(backend, input);
  const delta = heapAddress(backend, out) - xAt;
  const dyAt = heapAddress(backend, dy);
  const groups = g.channels / 4;
  forEachWindowRun(g, taps, xAt, 4, (run) =>
    job.call(
      delta,
      dyAt + 4 * run.outIndex,
      run.origin,
      tapsAt + 4 * run.table,
      run.tapCount,
      groups,
      run.count,
      run.step,
    ),
  );
  job.run();
  release(backend, scratch, zeros);
}

function gradientByLoop(
  backend: WasmBackend,
  g: PoolGeometry,
  input: TensorInfo,
  dy: TensorInfo,
  out: TensorInfo,
): void {
  const dx = floatView(backend, out);
  const x = floatView(backend, input);
  const gradient = floatView(backend, dy);
  dx.fill(0);
  const C = g.channels;
  const taps = new Int32Array(2 * maxTaps(g));
  forEachWindowRun(g, taps, 0, 1, (run) => {
    for (let w = 0; w < run.count; w++) {
      const origin = run.origin + w * run.step;
      const outIndex = run.outIndex + w * C;
      for (let c = 0; c < C; c++) {
        let at = origin + taps[run.table]! + c;
        let best = x[at]!;
        for (let t = 1; t < run.tapCount; t++) {
          const i = origin + taps[run.table + t]! + c;
          const v = x[i]!;
          // Strictly greater keeps the first maximum; a NaN input wins so it propagates.
          if (v > best || v !== v) {
            best = v;
            at = i;
          }
        }
        dx[at] += gradient[outIndex + c]!;
      }
    }
  });
}

function maxPoolGrad(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const dy = args.inputs['dy'] as TensorInfo;
  const input = args.inputs['input'] as TensorInfo;
  if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return inner(args);
  const backend = asWasmBackend(args.backend, MaxPoolGrad);
  const g = poolGeometry(input.shape, args.attrs ?? {});
  const out = backend.makeOutput([...input.shape], 'float32');
  const simd = g.channels % 4 === 0 ? simdKernelsFor(backend) : null;
  if (simd !== null) gradientBySimd(simd, backend, g, input, dy, out);
  else gradientByLoop(backend, g, input, dy, out);
  return out;
}

/** Replaces the 'wasm' MaxPoolGrad with the channel-vectorized loop above (idempotent). */
export function registerWasmFastMaxPoolGrad(): void {
  wrapKernel('registerWasmFastMaxPoolGrad', MaxPoolGrad, 'wasm', maxPoolGrad);
}
