/**
 * Puts the threaded WASM build behind TF.js's `'wasm'` backend name: the factory registered here
 * starts the threaded build when more than one thread is wanted and, when it cannot start, prints
 * one line saying why and returns TF.js's own one-thread SIMD backend. One thread is TF.js's
 * factory unchanged.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { registerPoolSwitchedKernels, setActivePool } from './pool-switch.js';
import { simdKernelsOn } from '../wasm-kernels/simd-kernels.js';
import { backendMemory } from '../wasm-simd/heap-module.js';
import { startThreadedWasm } from './threaded-wasm.js';
import { createTilePool, setActiveTilePool } from './tile-pool.js';
import { THREADS_VARIABLE } from './threads-setting.js';

const require = createRequire(import.meta.url);

/** TF.js's priority for the wasm backend (its registration uses 2). */
const WASM_PRIORITY = 2;

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** TF.js's own factory for 'wasm' (the one-thread SIMD build), kept when it is first replaced. */
let tfjsFactory: BackendFactory | undefined;

/**
 * Registers the `'wasm'` backend factory for `threads` threads, unless the wasm backend is already
 * running (its thread count is fixed once it has started), and wraps the heavy kernels that switch
 * the thread pool on (pool-switch.ts). Call right after `@tensorflow/tfjs-backend-wasm` is
 * imported, before Strata's kernel replacements, and before `tf.setBackend('wasm')`.
 *
 * @param threads - the thread count wanted (1 = TF.js's one-thread SIMD build)
 * @param timeoutMs - how long the worker threads may take to start before falling back
 */
export function registerWasmFactory(threads: number, timeoutMs: number): void {
  registerPoolSwitchedKernels();
  if (tf.engine().registry['wasm'] !== undefined) return;
  tfjsFactory ??= (tf.findBackendFactory('wasm') as BackendFactory | null) ?? undefined;
  const oneThread = tfjsFactory;
  if (oneThread === undefined) throw new Error("@tensorflow/tfjs-backend-wasm registered no 'wasm' backend");
  const factory: BackendFactory =
    threads === 1
      ? oneThread
      : async () => {
          try {
            const started = await startThreadedWasm(threads, { timeoutMs });
            setActivePool(started.pool);
            startTilePoolFor(started.backend, started.threads);
            return started.backend;
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            console.warn(
              `Strata: the threaded WASM backend (${THREADS_VARIABLE}=${threads}) could not start, ` +
                `so it runs on one thread: ${reason.replace(/\s+/g, ' ')}`,
            );
            return oneThread();
          }
        };
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
}

/**
 * Starts the pool that runs Strata's own SIMD loops on `threads` threads (the caller and
 * `threads − 1` workers) on the threaded backend's shared heap, and stops it with the backend.
 * Without SIMD or a reachable heap the loops simply stay on one thread.
 */
function startTilePoolFor(backend: tf.KernelBackend, threads: number): void {
  const memory = backendMemory(backend);
  const module = simdKernelsOn.compiled(true);
  const exports = memory === null ? null : simdKernelsOn(memory);
  if (memory === null || module === null || exports === null || threads < 2) return;
  const pool = createTilePool({ memory, module, exports, workers: threads - 1 });
  setActiveTilePool(pool);
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    setActiveTilePool(null);
    void pool.stop();
    dispose();
  };
}

/** The threads the running wasm backend uses (TF.js's count of its pool), or 1 before it starts. */
export function wasmThreadsInUse(): number {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  try {
    return Math.max(1, wasm.getThreadsCount());
  } catch {
    return 1;
  }
}
