/**
 * Speed fix for the WASM backend's own MaxPool kernel on float32 NHWC input. XNNPACK's pooling
 * plus the NaN scan that Strata must run after it (nan-propagation.ts) cost ~6 ms per
 * MNIST-convnet pooling layer; this kernel takes the maximum of each window's inside taps
 * (padding is skipped, as in TensorFlow) in one pass and propagates NaN itself: a window holding
 * a NaN gives NaN. With a multiple of 4 channels it runs the SIMD loop `pool_max`
 * (simd-kernels.ts), otherwise the same loop in JS. Rows of windows go to the tile pool's threads
 * when every window lies inside the input.
 */
import { MaxPool, util } from '@tensorflow/tfjs-core';
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
import { simdKernelsFor } from './simd-kernels.js';
import { asWasmBackend, floatView, heapAddress, release, type WasmBackend } from './wasm-backend.js';
import { markPropagatesNaN } from '../nan-propagation.js';

function poolBySimd(backend: WasmBackend, g: PoolGeometry, x: TensorInfo, out: TensorInfo): boolean {
  const simd = g.channels % 4 === 0 ? simdKernelsFor(backend) : null;
  if (simd === null) return false;
  const scratch = backend.makeOutput([2 * maxTaps(g)], 'int32');
  // Addresses and views only after every allocation (heap growth detaches views).
  const taps = backend.typedArrayFromHeap(scratch) as Int32Array;
  const tapsAt = taps.byteOffset;
  const outAt = heapAddress(backend, out);
  const groups = g.channels / 4;
  // Work: the input read and the output written.
  const work = util.sizeFromShape(x.shape) + util.sizeFromShape(out.shape);
  const pool = runsSplitAcrossThreads(g, false) ? tilePoolFor(work) : null;
  const job = loopJob(pool, simd, 'pool_max', runsPerBlock(g, pool?.threads ?? 1));
  forEachWindowRun(g, taps, heapAddress(backend, x), 4, (run) =>
    job.call(outAt + 4 * run.outIndex, run.origin, tapsAt + 4 * run.table, run.tapCount, groups, run.count, run.step),
  );
  job.run();
  release(backend, scratch);
  return true;
}

function poolByLoop(backend: WasmBackend, g: PoolGeometry, input: TensorInfo, out: TensorInfo): void {
  const x = floatView(backend, input);
  const y = floatView(backend, out);
  const C = g.channels;
  const taps = new Int32Array(2 * maxTaps(g));
  forEachWindowRun(g, taps, 0, 1, (run) => {
    for (let w = 0; w < run.count; w++) {
      const origin = run.origin + w * run.step;
      const outIndex = run.outIndex + w * C;
      for (let c = 0; c < C; c++) {
        let best = x[origin + taps[run.table]! + c]!;
        for (let t = 1; t < run.tapCount; t++) {
          const v = x[origin + taps[run.table + t]! + c]!;
          // A NaN, once met, stays: NaN > v and v > NaN are both false.
          if (v > best || v !== v) best = v;
        }
        y[outIndex + c] = best;
      }
    }
  });
}

function maxPool(args: KernelArgs, inner: KernelFunc): TensorInfo | TensorInfo[] {
  const x = args.inputs['x'] as TensorInfo;
  if (x.dtype !== 'float32' || x.shape.length !== 4) return inner(args);
  const backend = asWasmBackend(args.backend, MaxPool);
  const g = poolGeometry(x.shape, args.attrs ?? {});
  const out = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.channels], 'float32');
  if (!poolBySimd(backend, g, x, out)) poolByLoop(backend, g, x, out);
  return out;
}

/** Replaces the 'wasm' MaxPool with the loops above (idempotent). */
export function registerWasmFastMaxPool(): void {
  // Float32 input propagates NaN here; other dtypes hold no NaN.
  markPropagatesNaN(wrapKernel('registerWasmFastMaxPool', MaxPool, 'wasm', maxPool));
}
