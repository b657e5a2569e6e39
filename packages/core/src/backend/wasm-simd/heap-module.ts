/**
 * Instantiates a SIMD loop module on the TF.js wasm backend's own `WebAssembly.Memory`, so the
 * loops take the byte offsets of `typedArrayFromHeap` views as pointers and nothing is copied.
 * The memory is shared (its buffer a SharedArrayBuffer) when the backend runs threads: the module
 * is then encoded with a shared memory import, since an import must match that exactly.
 */
import { encodeModule, repeat, ValueType, type WasmFunction } from './encoding.js';
import { op, seq } from './instructions.js';

/** The members of the Emscripten module that hold the backend's memory. */
interface EmscriptenModule {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
}

/**
 * The backend's heap, or null when this tfjs-backend-wasm build hides it. The one-thread build
 * exports its memory (`asm.memory`); the threaded build creates it in JS, shared, and keeps it
 * as `wasmMemory`.
 */
export function backendMemory(backend: object): WebAssembly.Memory | null {
  const module = (backend as { wasm?: EmscriptenModule }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** True when `memory` is shared between threads (its buffer is a SharedArrayBuffer). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

let simdSupport: boolean | undefined;

/** Whether this engine validates WebAssembly SIMD (checked once, on a one-instruction module). */
export function hasWasmSimd(): boolean {
  simdSupport ??= WebAssembly.validate(
    encodeModule(
      [{ name: 'probe', params: [], locals: repeat(ValueType.v128, 1), body: seq(op.get(0), op.drop) }],
      false,
    ),
  );
  return simdSupport;
}

/**
 * The loops of a {@link heapModule}: call it with a memory for the module's exports on it; its
 * `compiled` member gives the compiled module itself (e.g. to post it to worker threads that
 * instantiate it on the same shared memory).
 */
export interface HeapModule<Exports extends object> {
  (memory: WebAssembly.Memory): Exports | null;
  /** The module compiled for shared (or unshared) memories, or null when it cannot run here. */
  compiled(shared: boolean): WebAssembly.Module | null;
}

/**
 * A module of loops, built and compiled on first use (once for unshared and once for shared
 * memories) and instantiated once per memory. The returned function gives the module's exports on
 * `memory`, or null when they cannot run here (no WebAssembly SIMD, or the engine refuses the
 * module): callers then take their portable JavaScript path.
 */
export function heapModule<Exports extends object>(build: () => readonly WasmFunction[]): HeapModule<Exports> {
  let functions: readonly WasmFunction[] | undefined;
  const compiled = new Map<boolean, WebAssembly.Module | null>();
  const instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  const compile = (shared: boolean): WebAssembly.Module | null => {
    let module = compiled.get(shared);
    if (module !== undefined) return module;
    module = null;
    if (hasWasmSimd()) {
      try {
        functions ??= build();
        module = new WebAssembly.Module(encodeModule(functions, shared));
      } catch {
        module = null;
      }
    }
    compiled.set(shared, module);
    return module;
  };
  const exportsOn = (memory: WebAssembly.Memory): Exports | null => {
    let exports = instances.get(memory);
    if (exports !== undefined) return exports;
    exports = null;
    const module = compile(isSharedMemory(memory));
    if (module !== null) {
      try {
        exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
      } catch {
        exports = null;
      }
    }
    instances.set(memory, exports);
    return exports;
  };
  return Object.assign(exportsOn, { compiled: compile });
}
