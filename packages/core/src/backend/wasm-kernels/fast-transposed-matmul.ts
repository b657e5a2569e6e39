/**
 * Opt-in speed fix for the WASM backend's own BatchMatMul kernel.
 *
 * In tfjs-backend-wasm 4.22 BatchMatMul with transposeA or transposeB set takes a path that is
 * 4–12× slower than transposing the operand first and multiplying untransposed (measured on
 * Dense-layer gradient shapes: x[128,784]ᵀ·dy[128,256] 35.8 ms vs 2.9 ms). Every MatMul
 * gradient uses a transposed product, so this dominates Dense training on wasm.
 *
 * The wrapper transposes the flagged operand(s) with the wasm Transpose kernel (a linear-time
 * copy), then calls the original kernel with both flags false. Results are identical up to
 * float32 summation order.
 */
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { wrapKernel } from '../wrap-kernel.js';
import { asWasmBackend, release, wasmTranspose } from './wasm-backend.js';

function swapLastTwoAxes(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Replaces the 'wasm' BatchMatMul kernel with a wrapper that materializes transposed operands
 * instead of using the slow transposed path. Idempotent. Call after
 * `@tensorflow/tfjs-backend-wasm` has been imported (it registers the original kernel);
 * throws if there is no wasm BatchMatMul to wrap.
 */
export function registerWasmFastTransposedMatMul(): void {
  wrapKernel('registerWasmFastTransposedMatMul', BatchMatMul, 'wasm', (args, inner) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    if (!transposeA && !transposeB) return inner(args);
    const backend = asWasmBackend(args.backend, BatchMatMul);
    const a = args.inputs['a'] as TensorInfo;
    const b = args.inputs['b'] as TensorInfo;
    const temporaries: TensorInfo[] = [];
    try {
      const aPlain = transposeA ? wasmTranspose(backend, a, swapLastTwoAxes(a.shape.length)) : a;
      if (transposeA) temporaries.push(aPlain);
      const bPlain = transposeB ? wasmTranspose(backend, b, swapLastTwoAxes(b.shape.length)) : b;
      if (transposeB) temporaries.push(bPlain);
      return inner({
        inputs: { a: aPlain, b: bPlain },
        backend: args.backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      release(backend, ...temporaries);
    }
  });
}
