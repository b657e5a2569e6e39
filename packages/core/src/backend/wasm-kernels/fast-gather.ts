/**
 * Speed fix for the WASM backend's GatherV2 when gathering along axis 0 without batch dims
 * (an Embedding lookup: rows of a `[vocabulary, dim]` table by int32 ids). The stock kernel walks
 * the output element by element through generic strided code (~10 ms for 32×80 rows of 128
 * floats); here each gathered row is one block copy on the wasm heap. Indices out of range are
 * refused with the stock kernel's own message, before anything is allocated. Other gathers (other
 * axes, batch dims, bool or empty tensors) go to the stock kernel.
 */
import { GatherV2, util } from '@tensorflow/tfjs-core';
import { wrapKernel, type KernelArgs } from '../wrap-kernel.js';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

function gatherRows(args: KernelArgs, inner: KernelFunc) {
  const x = args.inputs['x'] as TensorInfo;
  const indices = args.inputs['indices'] as TensorInfo;
  const attrs = args.attrs ?? {};
  const axis = util.parseAxisParam((attrs['axis'] as number | undefined) ?? 0, x.shape)[0]!;
  const batchDims = (attrs['batchDims'] as number | undefined) ?? 0;
  const simple =
    axis === 0 &&
    batchDims === 0 &&
    (x.dtype === 'float32' || x.dtype === 'int32') &&
    indices.dtype === 'int32' &&
    util.sizeFromShape(x.shape) > 0;
  if (!simple) return inner(args);
  const backend = asWasmBackend(args.backend, GatherV2);
  const rows = x.shape[0]!;
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < ids.length; i++) {
    const index = ids[i]!;
    util.assert(index <= rows - 1 && index >= 0, () => `GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
  }
  const rowSize = util.sizeFromShape(x.shape.slice(1));
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  // Views after the allocation: it may have moved the heap. Rows are copied within the heap
  // (copyWithin moves bytes, so int32 tables copy exactly through a float32 view of the heap).
  const table = backend.typedArrayFromHeap(x);
  const heap = new Float32Array(table.buffer);
  const from = table.byteOffset / 4;
  const to = backend.typedArrayFromHeap(out).byteOffset / 4;
  const idsAfter = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < idsAfter.length; i++) {
    const start = from + idsAfter[i]! * rowSize;
    heap.copyWithin(to + i * rowSize, start, start + rowSize);
  }
  return out;
}

/** Replaces the 'wasm' GatherV2 with the row copy above for axis-0 gathers (idempotent). */
export function registerWasmFastGather(): void {
  wrapKernel('registerWasmFastGather', GatherV2, 'wasm', gatherRows);
}
