/**
 * The transposed patch ("im2col") matrix of the convolution filter gradient, written straight
 * into the wasm heap: cols[k, p] for k = (kh, kw, ci) and p = (n, oh, ow), zero where the window
 * reads padding. For each image and filter tap, the inside part is one strided block copy
 * (`gather_block*`, loops of the wasm module in simd-kernels.ts; the JS twin below when the module
 * is unavailable) that reads x within one image (cache-resident) and writes rows of cols; one call
 * (`gather_block*_images`) copies a tap for a run of images.
 */
import type { ConvWindow } from './conv-window.js';
import { blockShare, loopJob, type TilePool } from '../wasm-threads/tile-pool.js';
import type { GatherImages, SimdKernels } from './simd-kernels.js';

/** Geometry of one convolution, with element strides of x so NHWC and NCHW share code. */
export interface PatchGeometry extends ConvWindow {
  inChannels: number;
  /** Element strides of x along batch, row, column and channel. */
  xStrideBatch: number;
  xStrideRow: number;
  xStrideCol: number;
  xStrideChannel: number;
}

/** Where cols and x start in the heap (byte addresses) and which images to take. */
export interface PatchTarget {
  heap: Float32Array;
  /** Byte address of element 0 of cols. */
  out: number;
  /** Byte address of element 0 of x. */
  x: number;
  firstBatch: number;
  batchCount: number;
}

/** `gather_block_images` in JS over the heap view (byte addresses and strides, as the wasm loop). */
function gatherBlockLoop(heap: Float32Array): GatherImages {
  return (dst, src, chans, rows, cols, dstChan, dstRow, srcChan, srcRow, srcCol, images, dstImage, srcImage) => {
    for (let n = 0; n < images; n++) {
      for (let ci = 0; ci < chans; ci++) {
        for (let r = 0; r < rows; r++) {
          let d = (dst + n * dstImage + ci * dstChan + r * dstRow) >> 2;
          let s = (src + n * srcImage + ci * srcChan + r * srcRow) >> 2;
          const step = srcCol >> 2;
          for (let c = 0; c < cols; c++, d++, s += step) heap[d] = heap[s]!;
        }
      }
    }
  };
}

/** The outputs o in [0, outSize) whose input index o·stride + offset lies in [0, inSize). */
function insideRange(outSize: number, stride: number, offset: number, inSize: number): [number, number] {
  const first = Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
  const end = Math.max(first, Math.min(outSize, Math.ceil((inSize - offset) / stride)));
  return [first, end];
}

/**
 * Fills cols[k, p] (see the module comment) for images [firstBatch, firstBatch + batchCount).
 * With a tile pool, the block copies of each image go to its threads (each copy writes its own
 * part of cols, so the result is the same).
 */
export function fillTransposedPatches(
  t: PatchTarget,
  g: PatchGeometry,
  simd: SimdKernels | null,
  pool: TilePool | null = null,
): void {
  // Channels-last x: read each position's channel vector contiguously, else walk one channel at a time.
  const byPosition = g.xStrideChannel === 1 && g.inChannels >= 4;
  const loop = !byPosition
    ? 'gather_block_images'
    : g.inChannels % 4 === 0
      ? 'gather_block_transposing_images'
      : 'gather_block_by_position_images';
  // One call per run of images and tap; a pool block is one run's taps.
  const imagesPerCall = blockShare(t.batchCount, pool);
  const job = simd === null ? null : loopJob(pool, simd, loop, g.filterHeight * g.filterWidth);
  const gather: GatherImages = simd === null ? gatherBlockLoop(t.heap) : (...args) => job!.call(...args);
  const plane = g.outHeight * g.outWidth;
  const columns = t.batchCount * plane;
  const rowRanges: [number, number][] = [];
  const colRanges: [number, number][] = [];
  for (let kh = 0; kh < g.filterHeight; kh++)
    rowRanges.push(insideRange(g.outHeight, g.strideHeight, kh * g.dilationHeight - g.padTop, g.inHeight));
  for (let kw = 0; kw < g.filterWidth; kw++)
    colRanges.push(insideRange(g.outWidth, g.strideWidth, kw * g.dilationWidth - g.padLeft, g.inWidth));
  const partial = (r: [number, number], size: number): boolean => r[0] > 0 || r[1] < size;
  if (rowRanges.some((r) => partial(r, g.outHeight)) || colRanges.some((r) => partial(r, g.outWidth))) {
    const first = t.out >> 2;
    t.heap.fill(0, first, first + g.filterHeight * g.filterWidth * g.inChannels * columns);
  }
  for (let b = 0; b < t.batchCount; b += imagesPerCall) {
    const images = Math.min(imagesPerCall, t.batchCount - b);
    const image = t.x + 4 * (t.firstBatch + b) * g.xStrideBatch;
    for (let kh = 0; kh < g.filterHeight; kh++) {
      const [oh0, oh1] = rowRanges[kh]!;
      const ih0 = oh0 * g.strideHeight - g.padTop + kh * g.dilationHeight;
      for (let kw = 0; kw < g.filterWidth; kw++) {
        const [ow0, ow1] = colRanges[kw]!;
        if (oh1 <= oh0 || ow1 <= ow0) continue;
        const iw0 = ow0 * g.strideWidth - g.padLeft + kw * g.dilationWidth;
        const k0 = (kh * g.filterWidth + kw) * g.inChannels;
        gather(
          t.out + 4 * (k0 * columns + b * plane + oh0 * g.outWidth + ow0),
          image + 4 * (ih0 * g.xStrideRow + iw0 * g.xStrideCol),
          g.inChannels,
          oh1 - oh0,
          ow1 - ow0,
          4 * columns,
          4 * g.outWidth,
          4 * g.xStrideChannel,
          4 * g.strideHeight * g.xStrideRow,
          4 * g.strideWidth * g.xStrideCol,
          images,
          4 * plane,
          4 * g.xStrideBatch,
        );
      }
    }
  }
  job?.run();
}
