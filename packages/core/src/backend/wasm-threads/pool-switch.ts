/**
 * Threads only where they pay. The threaded WASM build hands every XNNPACK kernel to its thread
 * pool, and each hand-off wakes the worker threads and waits for all of them. For a large matmul or
 * convolution that is cheap next to the work; for the thousands of small kernels of a recurrent
 * training step it is not: measured here on a busy 2-core machine, workload B (LSTM, ~5,400
 * kernels per step) ran 3–4× slower on 2 threads than on 1, as each hand-off waited for a
 * descheduled worker.
 *
 * TF.js passes its pool to XNNPACK from one C++ global (`tfjs::backend::threadpool`), and XNNPACK
 * runs a kernel on the calling thread when that pool is null. So the pool stays switched off
 * (null) and the kernels that carry real work (matmuls, convolutions, pooling over at least
 * {@link THREADED_WORK} multiply-adds or elements) switch it on for their call.
 *
 * The global's address is read from the wasm binary: the exported `get_threads_count` is
 * `load the global; return -1 if null; return pthreadpool_get_threads_count(it)`, so its first
 * `i32.const` is the address. It is then checked live (nulling it must make `get_threads_count()`
 * return -1); if the binary does not have that shape or the check fails, the pool simply stays on
 * for every kernel.
 */
import { readFileSync } from 'node:fs';
import { getKernel, registerKernel, unregisterKernel, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * A kernel gets the thread pool when its work (multiply-adds, or elements) reaches this. Below it,
 * waking the pool's sleeping worker costs more than the second core saves: measured on 2 threads
 * (2-core machine), the MNIST convnet's Dense products `[128, 1600]·[1600, 10]` and `xᵀ·dy`
 * (2·10⁶ multiply-adds each) took 0.61 ms a step on the calling thread against 0.85 with the pool.
 */
export const THREADED_WORK = 1 << 22;

/** The parts of the threaded Emscripten module this file uses. */
export interface PoolModule {
  HEAP32: Int32Array;
  tfjs?: Record<string, unknown>;
}

/** Switches the WASM thread pool on for one call. */
export interface PoolSwitch {
  /** Runs `body` with the thread pool on, then restores the previous state. */
  withThreads<T>(body: () => T): T;
}

/** Reads an unsigned LEB128 number at `at`; returns it and the position after it. */
function leb128(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** The body of the exported function `name` (after its locals), or null. */
function exportedFunctionBody(bytes: Uint8Array, name: string): Uint8Array | null {
  const sections = new Map<number, [number, number]>();
  let importedFunctions = 0;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const [size, start] = leb128(bytes, at);
    sections.set(id, [start, size]);
    if (id === 2) importedFunctions = countImportedFunctions(bytes, start);
    at = start + size;
  }
  const exports = sections.get(7);
  const code = sections.get(10);
  if (exports === undefined || code === undefined) return null;
  let index = -1;
  let [count, p] = leb128(bytes, exports[0]);
  const decoder = new TextDecoder();
  for (let i = 0; i < count && index < 0; i++) {
    let length: number;
    [length, p] = leb128(bytes, p);
    const exportName = decoder.decode(bytes.subarray(p, p + length));
    const kind = bytes[p + length]!;
    let target: number;
    [target, p] = leb128(bytes, p + length + 1);
    if (kind === 0 && exportName === name) index = target - importedFunctions;
  }
  if (index < 0) return null;
  [count, p] = leb128(bytes, code[0]);
  for (let i = 0; i < count; i++) {
    const [size, start] = leb128(bytes, p);
    if (i === index) {
      let [groups, q] = leb128(bytes, start);
      for (; groups > 0; groups--) q = leb128(bytes, q)[1] + 1; // a count, then one value type
      return bytes.subarray(q, start + size);
    }
    p = start + size;
  }
  return null;
}

/** The number of functions among a module's imports (they come first in the function index space). */
function countImportedFunctions(bytes: Uint8Array, start: number): number {
  let [count, p] = leb128(bytes, start);
  let functions = 0;
  for (; count > 0; count--) {
    p = leb128(bytes, p)[1] + leb128(bytes, p)[0]; // module name
    p = leb128(bytes, p)[1] + leb128(bytes, p)[0]; // field name
    const kind = bytes[p++]!;
    if (kind === 0) {
      p = leb128(bytes, p)[1];
      functions++;
    } else if (kind === 1 || kind === 2) {
      // table: element type, then limits; memory: limits (flags, minimum, maximum when flagged)
      if (kind === 1) p++;
      const flags = bytes[p++]!;
      p = leb128(bytes, p)[1];
      if (flags & 1) p = leb128(bytes, p)[1];
    } else {
      p += 2; // global: value type and mutability
    }
  }
  return functions;
}

/**
 * The address of TF.js's thread-pool global in the threaded build `wasmFile`, or null when its
 * `get_threads_count` does not start with `i32.const <address>; i32.load`.
 */
export function findThreadPoolAddress(wasmFile: string): number | null {
  const body = exportedFunctionBody(new Uint8Array(readFileSync(wasmFile)), 'get_threads_count');
  if (body === null || body[0] !== 0x41) return null; // i32.const
  const [address, next] = leb128(body, 1);
  return body[next] === 0x28 ? address : null; // i32.load
}

/**
 * A switch over the pool global at `address`, after checking live that it is the pool (nulling it
 * makes `get_threads_count()` return -1). Leaves the pool off. Null when the check fails (the pool
 * is then left as it was: on).
 */
export function createPoolSwitch(module: PoolModule, address: number): PoolSwitch | null {
  const getThreadsCount = module.tfjs?.['getThreadsCount'] as (() => number) | undefined;
  if (getThreadsCount === undefined || address % 4 !== 0) return null;
  const slot = address / 4;
  const heap = (): Int32Array => module.HEAP32;
  const pool = Atomics.load(heap(), slot);
  const threads = getThreadsCount();
  if (pool === 0 || threads < 2) return null;
  Atomics.store(heap(), slot, 0);
  if (getThreadsCount() !== -1) {
    Atomics.store(heap(), slot, pool);
    return null;
  }
  return {
    withThreads<T>(body: () => T): T {
      const before = Atomics.exchange(heap(), slot, pool);
      try {
        return body();
      } finally {
        Atomics.store(heap(), slot, before);
      }
    },
  };
}

const size = (info: TensorInfo | undefined): number => (info === undefined ? 0 : util.sizeFromShape(info.shape));

/** Multiply-adds of a (batched) matmul: batch × M × N × K. */
function matMulWork(inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): number {
  const a = inputs['a'];
  const b = inputs['b'];
  if (a === undefined || b === undefined || b.shape.length < 2) return 0;
  const n = attrs['transposeB'] === true ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
  return size(a) * n;
}

/** Multiply-adds of a convolution, roughly: input elements × filter elements ÷ input channels. */
function convWork(input: TensorInfo | undefined, filter: TensorInfo | undefined): number {
  if (input === undefined || filter === undefined) return 0;
  const channels = input.shape[input.shape.length - 1] ?? 1;
  return (size(input) * size(filter)) / Math.max(channels, 1);
}

/** The kernels that get the pool, and how much work a call carries. */
const WORK: Record<string, (inputs: Record<string, TensorInfo>, attrs: NamedAttrMap) => number> = {
  BatchMatMul: matMulWork,
  _FusedMatMul: matMulWork,
  Conv2D: (inputs) => convWork(inputs['x'], inputs['filter']),
  FusedConv2D: (inputs) => convWork(inputs['x'], inputs['filter']),
  DepthwiseConv2dNative: (inputs) => convWork(inputs['x'], inputs['filter']),
  FusedDepthwiseConv2D: (inputs) => convWork(inputs['x'], inputs['filter']),
  Conv2DBackpropInput: (inputs) => convWork(inputs['dy'], inputs['filter']),
  MaxPool: (inputs) => size(inputs['x']),
  AvgPool: (inputs) => size(inputs['x']),
};

/** The pool switch of the running threaded backend; null before it starts or without threads. */
let activePool: PoolSwitch | null = null;
let kernelsWrapped = false;

/**
 * True when a threaded backend is running and a kernel carrying `work` multiply-adds would get its
 * thread pool: a Strata SIMD replacement that cannot run on threads itself (no tile pool, see
 * tile-pool.ts) then leaves the call to TF.js's kernel.
 */
export function runsOnThreadPool(work: number): boolean {
  return activePool !== null && work >= THREADED_WORK;
}

/** Makes the wrapped kernels use `pool` (null: they run as registered, whatever the pool global holds). */
export function setActivePool(pool: PoolSwitch | null): void {
  activePool = pool;
}

/**
 * Wraps TF.js's heavy 'wasm' kernels so that, once a threaded backend is running, a call with at
 * least {@link THREADED_WORK} of work runs with the thread pool on; every other kernel runs on the
 * calling thread. Call right after importing `@tensorflow/tfjs-backend-wasm`, before Strata's own
 * replacements wrap these kernels in turn (they call through to these); idempotent.
 */
export function registerPoolSwitchedKernels(): void {
  if (kernelsWrapped) return;
  kernelsWrapped = true;
  for (const [name, work] of Object.entries(WORK)) {
    const config = getKernel(name, 'wasm') as KernelConfig | undefined;
    if (config === undefined) continue;
    const inner = config.kernelFunc;
    const kernelFunc: KernelFunc = (args) => {
      const pool = activePool;
      return pool !== null && work(args.inputs as Record<string, TensorInfo>, args.attrs ?? {}) >= THREADED_WORK
        ? pool.withThreads(() => inner(args))
        : inner(args);
    };
    unregisterKernel(name, 'wasm');
    // Keep the setup/dispose hooks: they bind the C++ entry points the inner kernel uses.
    registerKernel({ ...config, kernelFunc });
  }
}
