/**
 * Memory and matrix products for the whole-sequence recurrent kernels, on the `wasm` or the `cpu`
 * backend. A kernel allocates its outputs and scratch buffers here, runs its time loop over plain
 * `Float32Array` views, and multiplies with the backend's fastest product: on wasm Strata's SIMD
 * register tiles over the right operand packed once per call (`product_rows`), or the backend's
 * own XNNPACK-backed BatchMatMul when its width is not a multiple of 16 (a JS triple loop would
 * cost more than all other work together); on cpu a JS loop.
 *
 * On wasm any allocation (a buffer, or a product's result) may grow the heap, which detaches every
 * view taken before it: {@link SequenceWorkspace.view} re-takes a view when its memory moved, so
 * take views after the allocations of a step, never hold one across a `matmul`.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor, type SimdKernels } from '../wasm-kernels/simd-kernels.js';
import { copyIntoPanels, runProductTiles } from '../wasm-kernels/tiled-matmul.js';
import { tilePoolFor, type TilePool } from '../wasm-threads/tile-pool.js';
import {
  asWasmBackend,
  floatView,
  heapAddress,
  release,
  runWasmKernel,
  wasmMatMul,
  type WasmBackend,
} from '../wasm-kernels/wasm-backend.js';
import { backendMemory } from '../wasm-simd/heap-module.js';

/** The backends the fused recurrent kernels are registered for. */
export type FusedBackend = 'wasm' | 'cpu';

/** A float32 buffer of a workspace (a kernel input, an output or a scratch buffer). */
export interface SequenceBuffer {
  readonly shape: readonly number[];
  readonly size: number;
}

/** What the recurrent kernels need from a backend. */
export interface SequenceWorkspace {
  /** The wasm heap the buffers live on (the step loops run there as SIMD), or null. */
  readonly memory: WebAssembly.Memory | null;
  /** A float32 kernel input, read-only. */
  input(info: TensorInfo): SequenceBuffer;
  /** A new float32 buffer (not zeroed). Products need 2-D buffers. */
  alloc(shape: number[]): SequenceBuffer;
  /** The buffer's values now (re-take after any `alloc` or `matmul`). */
  view(buffer: SequenceBuffer): Float32Array;
  /**
   * `out = a·b` for 2-D buffers `a` `[m, k]`, `b` `[k, n]`, `out` `[m, n]`. `b` must keep its values
   * while it lives: the wasm backend caches its packed form by tensor.
   */
  matmul(a: SequenceBuffer, b: SequenceBuffer, out: SequenceBuffer): void;
  /** A new buffer holding the transpose of the 2-D buffer `a`. */
  transposed(a: SequenceBuffer): SequenceBuffer;
  /**
   * `out = sigmoid(x)` element-wise (same size). On wasm the backend's vectorized kernel: ~25×
   * faster than `Math.exp` in JS, which would otherwise cost more than the products.
   */
  sigmoid(x: SequenceBuffer, out: SequenceBuffer): void;
  /** Hands a buffer out as a kernel output of `shape` (same size); `dispose` then leaves it alone. */
  output(buffer: SequenceBuffer, shape?: number[]): TensorInfo;
  /** Frees every allocated buffer that was not handed out. */
  dispose(): void;
}

/** Reads a kernel input of any dtype (a mask) as numbers; on wasm a copy, so it survives heap growth. */
export function readValues(backendName: FusedBackend, backend: object, info: TensorInfo): ArrayLike<number> {
  if (backendName === 'wasm') return asWasmBackend(backend, 'read').typedArrayFromHeap(info).slice();
  return (backend as CpuBackend).data.get(info.dataId).values as ArrayLike<number>;
}

interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function checkProduct(a: SequenceBuffer, b: SequenceBuffer, out: SequenceBuffer): [number, number, number] {
  const [m, k] = a.shape as [number, number];
  const [k2, n] = b.shape as [number, number];
  if (a.shape.length !== 2 || b.shape.length !== 2 || k !== k2 || out.size !== m * n) {
    throw new Error(
      `sequence workspace: cannot multiply [${a.shape.join(', ')}] by [${b.shape.join(', ')}] into [${out.shape.join(', ')}]`,
    );
  }
  return [m, k, n];
}

interface WasmBuffer extends SequenceBuffer {
  info: TensorInfo;
  cached: Float32Array | null;
  owned: boolean;
  /** The heap byte offset, once asked (see WasmWorkspace.address). */
  address?: number;
}

/**
 * The wasm module's own BatchMatMul and Sigmoid entry points and the backend's id table (members of
 * tfjs-backend-wasm 4.x's `BackendWasm`). Called directly, a product writes into a buffer the
 * kernel already holds: per call it saves the stock kernel function's output allocation,
 * reshapes and result copy, which cost as much as the small per-step products themselves.
 */
interface WasmModuleAccess {
  wasm: {
    _BatchMatMul?: (...args: number[]) => void;
    _Sigmoid?: (xId: number, outId: number) => void;
    _malloc?: (bytes: number) => number;
    _free?: (pointer: number) => void;
    HEAP32?: Int32Array;
  };
  dataIdMap: { get(dataId: object): { id: number } | undefined };
}

/** The direct product and sigmoid, when this build of the wasm backend exposes them. */
interface DirectCalls {
  matmul(a: TensorInfo, aShape: readonly number[], b: TensorInfo, bShape: readonly number[], out: TensorInfo): void;
  sigmoid(x: TensorInfo, out: TensorInfo): void;
  free(): void;
}

function directCalls(backend: object): DirectCalls | null {
  const access = backend as Partial<WasmModuleAccess>;
  const wasm = access.wasm;
  const ids = access.dataIdMap;
  if (
    wasm === undefined ||
    ids === undefined ||
    typeof wasm._BatchMatMul !== 'function' ||
    typeof wasm._Sigmoid !== 'function' ||
    typeof wasm._malloc !== 'function' ||
    typeof wasm._free !== 'function' ||
    !(wasm.HEAP32 instanceof Int32Array)
  ) {
    return null;
  }
  const [batchMatMul, sigmoid, malloc, free] = [wasm._BatchMatMul, wasm._Sigmoid, wasm._malloc, wasm._free];
  // Two rank-3 shapes (a, b) as int32 on the heap, written before each call.
  const shapes = malloc(24);
  const id = (info: TensorInfo): number => ids.get(info.dataId)!.id;
  return {
    matmul: (a, aShape, b, bShape, out) => {
      // HEAP32 is re-created by the module when memory grows: read it at each call.
      wasm.HEAP32!.set([1, aShape[0]!, aShape[1]!, 1, bShape[0]!, bShape[1]!], shapes >> 2);
      batchMatMul(id(a), shapes, 3, id(b), shapes + 12, 3, 0, 0, id(out));
    },
    sigmoid: (x, out) => sigmoid(id(x), id(out)),
    free: () => free(shapes),
  };
}

class WasmWorkspace implements SequenceWorkspace {
  private readonly owned: WasmBuffer[] = [];
  private readonly direct: DirectCalls | null;
  readonly memory: WebAssembly.Memory | null;
  private readonly simd: SimdKernels | null;
  private readonly panels = new Map<WasmBuffer, WasmBuffer>();
  constructor(private readonly backend: WasmBackend) {
    this.direct = directCalls(backend);
    this.memory = backendMemory(backend);
    this.simd = simdKernelsFor(backend);
  }

  input(info: TensorInfo): SequenceBuffer {
    return { shape: info.shape, size: sizeOf(info.shape), info, cached: null, owned: false } as WasmBuffer;
  }

  alloc(shape: number[]): SequenceBuffer {
    const buffer: WasmBuffer = {
      shape,
      size: sizeOf(shape),
      info: this.backend.makeOutput(shape, 'float32'),
      cached: null,
      owned: true,
    };
    this.owned.push(buffer);
    return buffer;
  }

  view(buffer: SequenceBuffer): Float32Array {
    const b = buffer as WasmBuffer;
    // A view of memory that has since grown is detached (length 0).
    if (b.cached === null || b.cached.length !== b.size) b.cached = floatView(this.backend, b.info);
    return b.cached;
  }

  matmul(a: SequenceBuffer, b: SequenceBuffer, out: SequenceBuffer): void {
    const [m, k, n] = checkProduct(a, b, out);
    const [ai, bi, oi] = [(a as WasmBuffer).info, (b as WasmBuffer).info, (out as WasmBuffer).info];
    if (this.simd !== null && n % 16 === 0) {
      // Strata's register tiles over b packed once per kernel call: the time loop's small products
      // ran at 12–28 GFLOP/s through the backend's BatchMatMul, mostly per-call setup. Large ones
      // (the kernel gradient after the loop) take the tile pool's threads.
      const pool = tilePoolFor(m * k * n);
      const packed = this.panelsOf(b as WasmBuffer, k, n, pool);
      this.view(out).fill(0);
      const [aAt, outAt] = [this.address(a as WasmBuffer), this.address(out as WasmBuffer)];
      const [b0, bStride, panelStep] = [this.address(packed), 64, 64 * k];
      runProductTiles(pool, this.simd, {
        out: outAt,
        a: aAt,
        aRowStep: 4 * k,
        aStep: 4,
        b: b0,
        bStride,
        panelStep,
        m,
        k,
        n,
      });
      return;
    }
    if (this.direct !== null) {
      this.direct.matmul(ai, a.shape, bi, b.shape, oi);
      return;
    }
    const result = wasmMatMul(this.backend, ai, bi);
    this.view(out).set(floatView(this.backend, result));
    release(this.backend, result);
  }

  /** The buffer's heap byte offset (a buffer never moves; only views detach when the heap grows). */
  private address(buffer: WasmBuffer): number {
    return (buffer.address ??= heapAddress(this.backend, buffer.info));
  }

  /** `b` `[k, n]` copied into panels of 16 columns (once per buffer: a product's right operand keeps its values). */
  private panelsOf(b: WasmBuffer, k: number, n: number, pool: TilePool | null): WasmBuffer {
    let packed = this.panels.get(b);
    if (packed === undefined) {
      packed = this.alloc([k * n]) as WasmBuffer;
      copyIntoPanels(pool, this.simd!, this.address(packed), this.address(b), k, n / 16, 4 * n);
      this.panels.set(b, packed);
    }
    return packed;
  }

  transposed(a: SequenceBuffer): SequenceBuffer {
    const [rows, cols] = a.shape as [number, number];
    const info = runWasmKernel(this.backend, 'Transpose', { x: (a as WasmBuffer).info }, { perm: [1, 0] });
    const buffer: WasmBuffer = { shape: [cols, rows], size: a.size, info, cached: null, owned: true };
    this.owned.push(buffer);
    return buffer;
  }

  sigmoid(x: SequenceBuffer, out: SequenceBuffer): void {
    if (this.direct !== null && x.size === out.size) {
      this.direct.sigmoid((x as WasmBuffer).info, (out as WasmBuffer).info);
      return;
    }
    const result = runWasmKernel(this.backend, 'Sigmoid', { x: (x as WasmBuffer).info }, {});
    this.view(out).set(floatView(this.backend, result));
    release(this.backend, result);
  }

  output(buffer: SequenceBuffer, shape?: number[]): TensorInfo {
    const b = buffer as WasmBuffer;
    b.owned = false;
    return shape === undefined ? b.info : { ...b.info, shape };
  }

  dispose(): void {
    for (const b of this.owned) if (b.owned) this.backend.disposeData(b.info.dataId);
    this.owned.length = 0;
    this.direct?.free();
  }
}

interface CpuBuffer extends SequenceBuffer {
  values: Float32Array;
}

class CpuWorkspace implements SequenceWorkspace {
  readonly memory = null;
  constructor(private readonly backend: CpuBackend) {}

  input(info: TensorInfo): SequenceBuffer {
    const values = this.backend.data.get(info.dataId).values;
    if (!(values instanceof Float32Array))
      throw new Error(`sequence workspace: expected a float32 input, got ${info.dtype}`);
    return { shape: info.shape, size: values.length, values } as CpuBuffer;
  }

  alloc(shape: number[]): SequenceBuffer {
    return { shape, size: sizeOf(shape), values: new Float32Array(sizeOf(shape)) } as CpuBuffer;
  }

  view(buffer: SequenceBuffer): Float32Array {
    return (buffer as CpuBuffer).values;
  }

  matmul(a: SequenceBuffer, b: SequenceBuffer, out: SequenceBuffer): void {
    const [m, k, n] = checkProduct(a, b, out);
    const [av, bv, ov] = [this.view(a), this.view(b), this.view(out)];
    ov.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let p = 0; p < k; p++) {
        const x = av[i * k + p]!;
        const bRow = p * n;
        for (let j = 0; j < n; j++) ov[row + j] = ov[row + j]! + x * bv[bRow + j]!;
      }
    }
  }

  transposed(a: SequenceBuffer): SequenceBuffer {
    const [rows, cols] = a.shape as [number, number];
    const out = this.alloc([cols, rows]);
    const [av, ov] = [this.view(a), this.view(out)];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) ov[j * rows + i] = av[i * cols + j]!;
    return out;
  }

  sigmoid(x: SequenceBuffer, out: SequenceBuffer): void {
    const [xv, ov] = [this.view(x), this.view(out)];
    for (let i = 0; i < x.size; i++) ov[i] = 1 / (1 + Math.exp(-xv[i]!));
  }

  output(buffer: SequenceBuffer, shape?: number[]): TensorInfo {
    return this.backend.makeTensorInfo(shape ?? [...buffer.shape], 'float32', (buffer as CpuBuffer).values);
  }

  dispose(): void {}
}

/** A workspace for one kernel call on `backendName`. */
export function sequenceWorkspace(backendName: FusedBackend, backend: object, kernelName: string): SequenceWorkspace {
  return backendName === 'wasm'
    ? new WasmWorkspace(asWasmBackend(backend, kernelName))
    : new CpuWorkspace(backend as CpuBackend);
}
