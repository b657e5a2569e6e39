/**
 * Speed fix for the WASM backend's SplitV when every piece is a contiguous block of memory (all
 * axes before the split axis have size 1, e.g. splitting a time-major `[time·batch, units]`
 * projection into its steps). The stock kernel copies element by element through generic slice
 * code (~100 ms to split a `[2560, 256]` tensor into 80 steps); here each piece is one copy on the
 * wasm heap. Other splits go to the stock kernel.
 */
import { SplitV, util } from '@tensorflow/tfjs-core';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

/** Sizes of the pieces from `numOrSizeSplits` (a count, or sizes with at most one -1). */
function pieceSizes(numOrSizeSplits: number | number[], length: number): number[] | null {
  if (typeof numOrSizeSplits === 'number') {
    if (numOrSizeSplits <= 0 || length % numOrSizeSplits !== 0) return null;
    return Array.from({ length: numOrSizeSplits }, () => length / numOrSizeSplits);
  }
  const known = numOrSizeSplits.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  const sizes = numOrSizeSplits.map((s) => (s === -1 ? length - known : s));
  return sizes.reduce((a, b) => a + b, 0) === length && sizes.every((s) => s >= 0) ? sizes : null;
}

function splitV(args: KernelArgs, inner: KernelFunc) {
  const x = args.inputs['x'] as TensorInfo;
  const attrs = args.attrs ?? {};
  const axis = util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
  const sizes = pieceSizes(attrs['numOrSizeSplits'] as number | number[], x.shape[axis]!);
  const contiguous = x.shape.slice(0, axis).every((d) => d === 1);
  if (sizes === null || !contiguous || x.dtype === 'string' || x.dtype === 'complex64') return inner(args);
  const backend = asWasmBackend(args.backend, SplitV);
  const inner_ = util.sizeFromShape(x.shape.slice(axis + 1));
  // Allocate every output first: an allocation may move the heap and detach earlier views.
  const outputs = sizes.map((size) =>
    backend.makeOutput(
      x.shape.map((d, i) => (i === axis ? size : d)),
      x.dtype,
    ),
  );
  const source = backend.typedArrayFromHeap(x);
  let offset = 0;
  outputs.forEach((out, i) => {
    const count = sizes[i]! * inner_;
    backend.typedArrayFromHeap(out).set(source.subarray(offset, offset + count));
    offset += count;
  });
  return outputs;
}

/** Replaces the 'wasm' SplitV with the block copy above for contiguous pieces (idempotent). */
export function registerWasmFastSplit(): void {
  wrapKernel('registerWasmFastSplit', SplitV, 'wasm', splitV);
}
