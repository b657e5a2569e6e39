/**
 * Stride-1 NHWC convolutions (forward and input gradient) as a few matrix products per image on
 * the SIMD product tiles, without a patch matrix.
 *
 * In NHWC the positions of one image row follow each other in memory, so the KW filter columns
 * of a window, (ow + kw, c) for kw < KW, are KW·C consecutive floats. Lay every image out with
 * rows of one common width Wp (the input's for the forward pass; dy's, padded with zero columns,
 * for the gradient): then position r = h·Wp + w and its window's filter row kh start kh·Wp
 * positions apart, a constant shift. So for each filter row kh, one product of
 * `rows × (KW·C) · (KW·C) × N` (A read in place, rows one position apart) adds that filter row's
 * part into every output position; the KH products of an image add into the same output rows.
 * Outputs in the padding columns are computed too (a few percent) and dropped by the caller.
 *
 * Each output element is the sum over filter rows in order of one in-order dot product over KW·C
 * (fused multiply-adds where the tiles fuse). An image's products run on one thread, in order:
 * the floats do not depend on the thread count.
 */
import { blockShare, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import type { SimdKernels } from './simd-kernels.js';

/** One product per image: out rows at outOffset, A rows at aOffset (bytes from the image's start), B packed at b. */
export interface ShiftedProduct {
  outOffset: number;
  aOffset: number;
  b: number;
}

/** The products of a convolution over a batch (addresses and strides in bytes, sizes in elements). */
export interface RowShiftProducts {
  images: number;
  /** Image n's output starts at out + n·outImageStride; its rows are 4·n bytes apart. */
  out: number;
  outImageStride: number;
  /** Image n's A starts at a + n·aImageStride; A rows are aRowStep bytes apart, their k floats contiguous. */
  a: number;
  aImageStride: number;
  aRowStep: number;
  /** Output rows per product, the reduction length and the output width (a multiple of 16). */
  rows: number;
  k: number;
  n: number;
  /** The products of every image, in the order they add up. */
  products: readonly ShiftedProduct[];
}

/** Runs every image's products (out += A·B each; out must hold the sum so far, e.g. zeros), blocks of images on the pool. */
export function runRowShiftProducts(simd: SimdKernels, p: RowShiftProducts): void {
  const perImage = p.products.length;
  const pool = tilePoolFor(p.images * perImage * p.rows * p.k * p.n);
  const imagesPerBlock = blockShare(p.images, pool);
  // A block holds whole images: an image's products add into the same rows, so they stay on one thread, in order.
  const job = loopJob(pool, simd, 'product_rows', perImage * imagesPerBlock);
  for (let image = 0; image < p.images; image++) {
    const out = p.out + image * p.outImageStride;
    const a = p.a + image * p.aImageStride;
    for (const product of p.products) {
      job.call(
        out + product.outOffset,
        a + product.aOffset,
        p.aRowStep,
        4,
        product.b,
        64,
        p.k,
        4 * p.n,
        p.rows,
        p.n / 16,
        64 * p.k,
      );
    }
  }
  job.run();
}

/**
 * Writes B [k, n] (element (p, j) = `at(p, j)`) as n/16 panels of [k, 16] at `offset` of `packed`,
 * the layout the product tiles read.
 */
export function packPanels(
  packed: Float32Array,
  offset: number,
  k: number,
  n: number,
  at: (p: number, j: number) => number,
): void {
  for (let j = 0; j < n; j++) {
    const base = offset + (j >> 4) * 16 * k + (j & 15);
    for (let p = 0; p < k; p++) packed[base + 16 * p] = at(p, j);
  }
}
