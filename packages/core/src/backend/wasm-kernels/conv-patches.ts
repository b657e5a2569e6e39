/**
 * Patch ("im2col") matrices for the convolution filter gradient, written straight into the wasm
 * heap. Both layouts copy contiguous runs of x with `copyWithin` on the whole-heap view (a
 * memmove inside the engine) instead of an element-by-element loop, which is what made the
 * filter gradient fill-bound.
 *
 * - {@link fillPatchRows}: rows[p, k], p = (n, oh, ow), k = (kh, kw, ci). For channels-last x
 *   the kw·Cin values of one filter row are one contiguous run (dilation 1).
 * - {@link fillTransposedPatches}: cols[k, p]. Contiguous runs only when x is channels-first
 *   (or has one channel) and the column stride is 1; otherwise an element loop.
 */
import type { ConvWindow } from './conv-window.js';

/** Geometry of one convolution, with element strides of x so NHWC and NCHW share code. */
export interface PatchGeometry extends ConvWindow {
  inChannels: number;
  /** Element strides of x along batch, row, column and channel. */
  xStrideBatch: number;
  xStrideRow: number;
  xStrideCol: number;
  xStrideChannel: number;
}

/** Where the patch matrix and x start in the heap (in float32 elements) and which images to take. */
export interface PatchTarget {
  heap: Float32Array;
  /** Heap index of element 0 of the patch matrix. */
  out: number;
  /** Heap index of element 0 of x. */
  x: number;
  firstBatch: number;
  batchCount: number;
}

/** For each output column ow, the taps kw whose input column is inside the image: [start, end). */
function insideTaps(g: ConvWindow): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(g.outWidth);
  const end = new Int32Array(g.outWidth);
  for (let ow = 0; ow < g.outWidth; ow++) {
    const iw0 = ow * g.strideWidth - g.padLeft;
    let s = 0;
    while (s < g.filterWidth && iw0 + s * g.dilationWidth < 0) s++;
    let e = s;
    while (e < g.filterWidth && iw0 + e * g.dilationWidth < g.inWidth) e++;
    start[ow] = s;
    end[ow] = e;
  }
  return { start, end };
}

/**
 * Writes rows[p, k] (k = (kh, kw, ci), zero where the window reads padding) for channels-last x
 * (xStrideChannel 1). With dilation 1 the taps of one filter row are adjacent in x, so each
 * (p, kh) is a single copy of up to kw·Cin floats.
 */
export function fillPatchRows(t: PatchTarget, g: PatchGeometry): void {
  const { heap } = t;
  const C = g.inChannels;
  const rowLength = g.filterWidth * C;
  const patchSize = g.filterHeight * rowLength;
  const taps = insideTaps(g);
  let dst = t.out;
  for (let n = t.firstBatch; n < t.firstBatch + t.batchCount; n++) {
    const image = t.x + n * g.xStrideBatch;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++, dst += patchSize) {
        const iw0 = ow * g.strideWidth - g.padLeft;
        const kwStart = taps.start[ow]!;
        const kwEnd = taps.end[ow]!;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = ih0 + kh * g.dilationHeight;
          const rowDst = dst + kh * rowLength;
          if (ih < 0 || ih >= g.inHeight || kwStart >= kwEnd) {
            heap.fill(0, rowDst, rowDst + rowLength);
            continue;
          }
          const rowSrc = image + ih * g.xStrideRow;
          if (kwStart > 0) heap.fill(0, rowDst, rowDst + kwStart * C);
          if (g.dilationWidth === 1) {
            const src = rowSrc + (iw0 + kwStart) * g.xStrideCol;
            heap.copyWithin(rowDst + kwStart * C, src, src + (kwEnd - kwStart) * C);
          } else {
            for (let kw = kwStart; kw < kwEnd; kw++) {
              const src = rowSrc + (iw0 + kw * g.dilationWidth) * g.xStrideCol;
              heap.copyWithin(rowDst + kw * C, src, src + C);
            }
          }
          if (kwEnd < g.filterWidth) heap.fill(0, rowDst + kwEnd * C, rowDst + rowLength);
        }
      }
    }
  }
}

/**
 * Writes cols[k, p] for k = (kh, kw, ci) and p = (n − firstBatch, oh, ow), zero where the window
 * reads padding, row by row: x is read along a row of the image, a contiguous copy when the
 * column stride of the read is 1 (channels-first or one channel, stride 1).
 */
export function fillTransposedPatches(t: PatchTarget, g: PatchGeometry): void {
  const { heap } = t;
  const columns = t.batchCount * g.outHeight * g.outWidth;
  const step = g.strideWidth * g.xStrideCol;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth - g.padLeft;
      // Output columns whose input column lies inside the image: [owStart, owEnd).
      const owStart = Math.min(g.outWidth, Math.max(0, Math.ceil(-colOffset / g.strideWidth)));
      const owEnd = Math.max(owStart, Math.min(g.outWidth, Math.ceil((g.inWidth - colOffset) / g.strideWidth)));
      for (let ci = 0; ci < g.inChannels; ci++) {
        let dst = t.out + ((kh * g.filterWidth + kw) * g.inChannels + ci) * columns;
        for (let n = t.firstBatch; n < t.firstBatch + t.batchCount; n++) {
          const batchBase = t.x + n * g.xStrideBatch + ci * g.xStrideChannel;
          for (let oh = 0; oh < g.outHeight; oh++, dst += g.outWidth) {
            const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
            if (ih < 0 || ih >= g.inHeight) {
              heap.fill(0, dst, dst + g.outWidth);
              continue;
            }
            if (owStart > 0) heap.fill(0, dst, dst + owStart);
            const src = batchBase + ih * g.xStrideRow + (owStart * g.strideWidth + colOffset) * g.xStrideCol;
            if (step === 1) {
              heap.copyWithin(dst + owStart, src, src + owEnd - owStart);
            } else {
              for (let ow = owStart, s = src; ow < owEnd; ow++, s += step) heap[dst + ow] = heap[s]!;
            }
            if (owEnd < g.outWidth) heap.fill(0, dst + owEnd, dst + g.outWidth);
          }
        }
      }
    }
  }
}
