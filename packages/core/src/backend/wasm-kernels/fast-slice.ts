/**
 * Speed fix for the WASM backend's Slice of one contiguous block of memory (e.g. `predict` and
 * `fit` cutting a batch of rows out of the whole input). The stock kernel copies the block too, but
 * first reads the WHOLE input out of the heap (`readSync` makes a copy): ~3 ms per batch of 128
 * MNIST digits cut from 2,048. Here only the block is copied, within the heap. Other slices go to
 * the stock kernel.
 */
import { Slice, slice_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { wrapKernel } from '../wrap-kernel.js';
import { asWasmBackend } from './wasm-backend.js';

/** Replaces the 'wasm' Slice with a heap-to-heap block copy for contiguous slices (idempotent). */
export function registerWasmFastSlice(): void {
  wrapKernel('registerWasmFastSlice', Slice, 'wasm', (args, inner) => {
    const x = args.inputs['x'] as TensorInfo;
    if (x.dtype === 'string' || x.dtype === 'complex64') return inner(args);
    const attrs = args.attrs ?? {};
    const [begin, size] = slice_util.parseSliceParams(
      x as Parameters<typeof slice_util.parseSliceParams>[0],
      attrs['begin'] as number | number[],
      attrs['size'] as number | number[],
    );
    if (!slice_util.isSliceContinous(x.shape, begin, size)) return inner(args);
    const backend = asWasmBackend(args.backend, Slice);
    // Allocate first: an allocation may move the heap and detach earlier views.
    const out: TensorInfo = backend.makeOutput(size, x.dtype);
    const start = slice_util.computeFlatOffset(begin, util.computeStrides(x.shape));
    const count = util.sizeFromShape(size);
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(start, start + count));
    return out;
  });
}
