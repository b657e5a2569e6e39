/**
 * Speed fix for the WASM backend's GatherV2 on the embedding lookup shape: axis 0, no batch
 * dimensions, whole rows of a 4-byte dtype. The stock kernel walks every element through generic
 * strided index code (~20 ms to gather 2,560 rows of 128 floats, the Embedding of a 32×80 batch);
 * here each row is one copy on the wasm heap. Other gathers go to the stock kernel.
 */
import { GatherV2, getKernel, registerKernel, unregisterKernel, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

const installed = new WeakSet<KernelFunc>();

function gatherRows(
  args: { inputs: Record<string, TensorInfo>; backend: object; attrs?: NamedAttrMap },
  inner: KernelFunc,
) {
  const x = args.inputs['x'] as TensorInfo;
  const indices = args.inputs['indices'] as TensorInfo;
  const attrs = args.attrs ?? {};
  const axis = util.parseAxisParam((attrs['axis'] as number | undefined) ?? 0, x.shape)[0]!;
  const batchDims = (attrs['batchDims'] as number | undefined) ?? 0;
  const rowsOf = x.dtype === 'float32' || x.dtype === 'int32';
  if (axis !== 0 || batchDims !== 0 || !rowsOf || indices.dtype !== 'int32' || x.shape.length === 0) {
    return inner(args);
  }
  const backend = asWasmBackend(args.backend, GatherV2);
  const rows = x.shape[0]!;
  const row = util.sizeFromShape(x.shape.slice(1));
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  // Views after the allocation (it may move the heap).
  const index = backend.typedArrayFromHeap(indices);
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  for (let i = 0; i < index.length; i++) {
    const r = index[i]!;
    if (!(r >= 0 && r <= rows - 1)) {
      backend.disposeData(out.dataId);
      // The stock kernel's message.
      throw new Error(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
    }
    target.set(source.subarray(r * row, (r + 1) * row), i * row);
  }
  return out;
}

/** Replaces the 'wasm' GatherV2 with the row copy above for axis-0 row gathers (idempotent). */
export function registerWasmFastGather(): void {
  const original = getKernel(GatherV2, 'wasm');
  if (original == null) {
    throw new Error(
      `registerWasmFastGather: no '${GatherV2}' kernel for 'wasm'; import @tensorflow/tfjs-backend-wasm first.`,
    );
  }
  if (installed.has(original.kernelFunc)) return;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => gatherRows(args as Parameters<typeof gatherRows>[0], inner);
  installed.add(kernelFunc);
  unregisterKernel(GatherV2, 'wasm');
  registerKernel({ ...original, kernelFunc });
}
