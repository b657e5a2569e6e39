/**
 * The windows of a 2-D max pooling over channels-last (NHWC) float32 data, walked the way both
 * wasm pooling kernels need it: per output position, the heap offsets of the window's taps
 * that lie inside the image (padding taps are skipped, as TensorFlow does).
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { BLOCKS_PER_THREAD } from '../wasm-threads/tile-pool.js';

/** Pooling geometry of one call. */
export interface PoolGeometry {
  batch: number;
  height: number;
  width: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  info: backend_util.Conv2DInfo;
}

/** The pooling geometry for an NHWC input shape and the MaxPool / MaxPoolGrad attrs. */
export function poolGeometry(shape: readonly number[], attrs: NamedAttrMap): PoolGeometry {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const info = backend_util.computePool2DInfo(
    [batch, height, width, channels],
    attrs['filterSize'] as number | [number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  return { batch, height, width, channels, outHeight: info.outHeight, outWidth: info.outWidth, info };
}

/** A run of `count` windows along a row that share their tap pattern (see {@link forEachWindowRun}). */
export interface WindowRun {
  /** Index in `taps` of the run's tap table (0 for interior windows, maxTaps for an edge window). */
  table: number;
  tapCount: number;
  /** Added to every tap entry of the first window (0 when the entries are absolute). */
  origin: number;
  /** Added to `origin` from one window to the next. */
  step: number;
  count: number;
  /** Element offset of the first window's output channel vector. */
  outIndex: number;
}

/**
 * Walks every output position (n, oh, ow) in order, in runs that one loop can process:
 * - interior windows (all taps inside the image) of one output row form ONE run whose tap table
 *   `taps[0..tapCount)` holds offsets from the window's first tap, the same for all of them;
 * - each window that overlaps the padding is a run of its own, its inside taps' absolute
 *   positions written at `taps[maxTaps..)`.
 * Positions are base + scale · (element offset in x), so scale 4 and base = x's byte address give
 * heap addresses; taps lists row-major window order. `taps` needs 2 · maxTaps(g) entries.
 */
export function forEachWindowRun(
  g: PoolGeometry,
  taps: Int32Array,
  base: number,
  scale: number,
  visit: (run: WindowRun) => void,
): void {
  const { info, height, width, channels } = g;
  const fh = info.filterHeight;
  const fw = info.filterWidth;
  const edge = maxTaps(g);
  for (let kh = 0; kh < fh; kh++)
    for (let kw = 0; kw < fw; kw++) taps[kh * fw + kw] = scale * (kh * width + kw) * channels;
  const step = scale * info.strideWidth * channels;
  // Output columns whose window lies inside the image horizontally: [owFirst, owEnd).
  let owFirst = 0;
  while (owFirst < g.outWidth && owFirst * info.strideWidth - info.padInfo.left < 0) owFirst++;
  let owEnd = owFirst;
  while (owEnd < g.outWidth && owEnd * info.strideWidth - info.padInfo.left + fw <= width) owEnd++;
  const run: WindowRun = { table: 0, tapCount: fh * fw, origin: 0, step, count: 0, outIndex: 0 };
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * info.strideHeight - info.padInfo.top;
      const rowInside = ih0 >= 0 && ih0 + fh <= height;
      const rowOut = (n * g.outHeight + oh) * g.outWidth;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const iw0 = ow * info.strideWidth - info.padInfo.left;
        if (rowInside && ow === owFirst && owEnd > owFirst) {
          run.table = 0;
          run.tapCount = fh * fw;
          run.origin = base + scale * ((n * height + ih0) * width + iw0) * channels;
          run.step = step;
          run.count = owEnd - owFirst;
          run.outIndex = (rowOut + ow) * channels;
          visit(run);
          ow = owEnd - 1;
          continue;
        }
        let count = 0;
        for (let kh = 0; kh < fh; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= height) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= width) continue;
            taps[edge + count++] = base + scale * ((n * height + ih) * width + iw) * channels;
          }
        }
        if (count === 0) continue;
        run.table = edge;
        run.tapCount = count;
        run.origin = 0;
        run.step = 0;
        run.count = 1;
        run.outIndex = (rowOut + ow) * channels;
        visit(run);
      }
    }
  }
}

/** Taps per window at most. */
export function maxTaps(g: PoolGeometry): number {
  return g.info.filterHeight * g.info.filterWidth;
}

/**
 * Whether the window runs of a pooling may go to a tile pool's threads: every window lies inside
 * the input (so every run reads the one fixed tap table and a run can be queued), and, for the
 * gradient, windows do not overlap (each dx entry gets at most one addition, so no two threads
 * touch it and no sum changes its order).
 */
export function runsSplitAcrossThreads(g: PoolGeometry, gradient: boolean): boolean {
  const { info } = g;
  const inside =
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    (g.outHeight - 1) * info.strideHeight + info.filterHeight <= g.height &&
    (g.outWidth - 1) * info.strideWidth + info.filterWidth <= g.width;
  const disjoint = info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth;
  return inside && (!gradient || disjoint);
}

/** Window runs (rows of output positions) per block of a pooled job: several blocks per thread. */
export function runsPerBlock(g: PoolGeometry, threads: number): number {
  return Math.ceil((g.batch * g.outHeight) / (BLOCKS_PER_THREAD * threads));
}
