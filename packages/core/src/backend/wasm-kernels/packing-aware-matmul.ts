/**
 * Speed fix for training matrix products on the WASM backend. Its BatchMatMul hands the right
 * operand to XNNPACK as fully-connected "weights", which XNNPACK repacks into its own layout and
 * caches by tensor. In training every weight is a new tensor at every step (the optimizer assigns
 * new values), so every product pays the packing, and packing a `[784, 512]` weight costs about as
 * much as multiplying it by a batch of 128 (`x·W` 8.6–12.6 ms, of which ~5 ms packing).
 *
 * `A·B` equals `(Bᵀ·Aᵀ)ᵀ`, which packs `Aᵀ` (`K×M`) instead of `B` (`K×N`) at the price of a few
 * linear-time transposes. This wrapper takes the swapped form when its estimated cost (packing
 * weighted at 4 copies per element, plus the transposes) is clearly lower: Dense forward products
 * (`x·W`, `W` much larger than the batch) and input gradients (`dy·Wᵀ`), not weight gradients
 * (`xᵀ·dy`) or small products. Each output element is still one dot product over `K` in order, so
 * results are unchanged. Batched products (a leading dimension > 1) go to the wrapped kernel.
 */
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { FixSwitch, wrapKernel } from '../wrap-kernel.js';
import { asWasmBackend, release, wasmTranspose } from './wasm-backend.js';

const fix = new FixSwitch();

/** Runs `fn` with every product computed directly (for comparisons in tests and benchmarks). */
export function withoutSwappedMatMul<T>(fn: () => T): T {
  return fix.without(fn);
}

/** Packing one element costs about as much as this many element copies (measured on wasm SIMD). */
const PACKING_WEIGHT = 4;
/** Below this saving (in element copies) the extra kernel calls cost more than they save. */
const MIN_SAVING = 100_000;

/** The product's `[M, K, N]` when both operands are matrices (leading dimensions all 1), else null. */
function matrixDims(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): number[] | null {
  const rank = a.shape.length;
  if (rank < 2 || b.shape.length !== rank) return null;
  if (a.shape.slice(0, -2).some((d) => d !== 1) || b.shape.slice(0, -2).some((d) => d !== 1)) return null;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  return [transposeA ? a1 : a0, transposeA ? a0 : a1, transposeB ? b0 : b1];
}

/** Whether computing `(op(B)ᵀ·op(A)ᵀ)ᵀ` is clearly cheaper than `op(A)·op(B)`. */
export function swapIsCheaper(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  const direct = PACKING_WEIGHT * k * n + (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
  const swapped = PACKING_WEIGHT * k * m + m * n + (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k);
  return direct - swapped > MIN_SAVING && swapped < 0.8 * direct;
}

/**
 * Wraps the registered 'wasm' BatchMatMul (call after the other BatchMatMul fixes; idempotent).
 * Throws if there is no wasm BatchMatMul to wrap.
 */
export function registerWasmPackingAwareMatMul(): void {
  wrapKernel('registerWasmPackingAwareMatMul', BatchMatMul, 'wasm', (args, inner) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap;
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    const a = args.inputs['a'] as TensorInfo;
    const b = args.inputs['b'] as TensorInfo;
    const dims =
      fix.on && a.dtype === 'float32' && b.dtype === 'float32' ? matrixDims(a, b, transposeA, transposeB) : null;
    if (dims === null || !swapIsCheaper(dims[0]!, dims[1]!, dims[2]!, transposeA, transposeB)) return inner(args);
    const backend = asWasmBackend(args.backend, BatchMatMul);
    // (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ: B first, each flag flipped.
    const swapped = inner({
      inputs: { a: b, b: a },
      backend: args.backend,
      attrs: { ...attrs, transposeA: !transposeB, transposeB: !transposeA },
    }) as TensorInfo;
    try {
      const rank = a.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i));
      return wasmTranspose(backend, swapped, perm);
    } finally {
      release(backend, swapped);
    }
  });
}
