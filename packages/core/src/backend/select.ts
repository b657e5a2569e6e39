/**
 * Backend choice: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` when its native library loads, else the
 * WASM backend, else the plain CPU backend. `STRATA_BACKEND=tensorflow|wasm|cpu`
 * forces one and fails clearly when it cannot load. The WASM backend runs `STRATA_THREADS`
 * threads (default: every core; see wasm-threads/).
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './backend-error.js';
import { registerAllGradients } from './gradients.js';
import { registerCpuCorrectnessFixes } from './cpu-kernels/max-pool-3d-grad.js';
import { registerFusedKernels } from './fused/index.js';
import { registerNaNPropagation } from './nan-propagation.js';
import {
  registerWasmCorrectnessFixes,
  registerWasmSpeedFixes,
  registerWasmTrainingKernels,
} from './wasm-kernels/index.js';
import { registerWasmFactory, wasmThreadsInUse } from './wasm-threads/wasm-factory.js';
import {
  THREADS_TIMEOUT_VARIABLE,
  THREADS_VARIABLE,
  parseThreadsSetting,
  parseThreadsTimeout,
} from './wasm-threads/threads-setting.js';

export { BackendError };

/** The backends Strata can run on, in order of preference. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;

/** A Strata backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

let initialized: Promise<BackendName> | undefined;

/** The process-level error events Emscripten's runtime hooks when the WASM module starts. */
const PROCESS_ERROR_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `start` and then removes the process error listeners it added. The WASM backend's
 * Emscripten runtime installs handlers that rethrow every uncaught error from inside its own
 * minified glue, so Node prints ~40 KB of that code before the real message and exits with
 * code 7; without them an uncaught error looks as Node prints it (message, stack, exit code 1).
 */
async function withoutAddedErrorListeners<T>(start: () => Promise<T>): Promise<T> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(PROCESS_ERROR_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await start();
  } finally {
    for (const event of PROCESS_ERROR_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/**
 * tfjs-backend-cpu greets its first tensor under Node with a banner recommending tfjs-node; Strata
 * already said which backend it chose and why, so the banner is only noise. It is printed once,
 * guarded by the backend's `firstUse` field.
 */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

/** The WASM backend's thread settings, read from the environment by {@link selectBackend}. */
interface ThreadSettings {
  threads: number;
  timeoutMs: number;
}

/** Reads `STRATA_THREADS` and `STRATA_THREADS_TIMEOUT_MS`; throws a BackendError for a bad value. */
function threadSettings(): ThreadSettings {
  return {
    threads: parseThreadsSetting(process.env[THREADS_VARIABLE]),
    timeoutMs: parseThreadsTimeout(process.env[THREADS_TIMEOUT_VARIABLE]),
  };
}

async function tryLoad(name: BackendName, threads: ThreadSettings): Promise<string | null> {
  return withoutAddedErrorListeners(() => loadAndSet(name, threads));
}

/**
 * The native addons, CUDA first: both register the `tensorflow` backend. They are optional:
 * their install step downloads libtensorflow, which fails on machines without access to that host.
 */
export const NATIVE_BACKEND_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Imports the first native addon that loads, or throws what each one said. */
async function importNativeBackend(): Promise<void> {
  const problems: string[] = [];
  for (const name of NATIVE_BACKEND_PACKAGES) {
    try {
      await import(name as string);
      return;
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
    }
  }
  throw new Error(problems.join('; '));
}

async function loadAndSet(name: BackendName, threads: ThreadSettings): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      await importNativeBackend();
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      // First: it wraps TF.js's own kernels, which Strata's replacements below call through to.
      registerWasmFactory(threads.threads, threads.timeoutMs);
      registerWasmTrainingKernels();
      registerWasmSpeedFixes();
      registerWasmCorrectnessFixes();
      registerFusedKernels('wasm');
      // After the fixes: it wraps whichever kernels are registered last.
      registerNaNPropagation('wasm');
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
      registerCpuCorrectnessFixes();
      registerFusedKernels('cpu');
      registerNaNPropagation('cpu');
    }
    const ok = await tf.setBackend(name);
    if (ok && name === 'cpu') silenceCpuBanner();
    return ok ? null : `tf.setBackend('${name}') returned false`;
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? String(error)) : String(error);
  }
}

/**
 * Loads and selects a backend: `forced` (a name from {@link BACKEND_NAMES}) or, when it is
 * empty, the first that loads in the order tensorflow → wasm → cpu. Unlike
 * {@link initBackend} it runs every time it is called (tests switch backends with it).
 *
 * @param forced - the backend to use, or undefined/empty for the first that loads
 * @param source - how errors name where `forced` came from (default `STRATA_BACKEND`)
 * @throws BackendError for an unknown name, a forced backend that cannot load, none loading, or an
 *   invalid `STRATA_THREADS` / `STRATA_THREADS_TIMEOUT_MS`
 */
export async function selectBackend(forced: string | undefined, source = 'STRATA_BACKEND'): Promise<BackendName> {
  // Read first: a bad value is an error whichever backend loads, never a silent fallback.
  const threads = threadSettings();
  if (forced !== undefined && forced !== '') {
    const named = source === 'STRATA_BACKEND' ? `STRATA_BACKEND="${forced}"` : `${source}("${forced}")`;
    if (!(BACKEND_NAMES as readonly string[]).includes(forced)) {
      throw new BackendError(`${named} is not a backend; valid choices: ${BACKEND_NAMES.join(', ')}`);
    }
    const problem = await tryLoad(forced as BackendName, threads);
    if (problem !== null) {
      throw new BackendError(`${named} could not be loaded: ${problem}`);
    }
    return forced as BackendName;
  }
  const problems: string[] = [];
  for (const name of BACKEND_NAMES) {
    const problem = await tryLoad(name, threads);
    if (problem === null) return name;
    problems.push(`${name}: ${problem}`);
  }
  throw new BackendError(`no TensorFlow.js backend could be loaded:\n  ${problems.join('\n  ')}`);
}

/**
 * Loads and selects the backend and returns its name. Importing `@strata/core` already does this
 * (honoring `STRATA_BACKEND`), so calling it is optional: without an argument it returns that
 * choice; with a name it switches to that backend.
 *
 * @param name - a backend to switch to: `tensorflow`, `wasm` or `cpu`
 * @throws BackendError when the named backend is unknown or cannot load
 *
 * @example
 * ```ts
 * import { initBackend } from '@strata/core';
 * console.log(await initBackend()); // "wasm" where tfjs-node's native library is absent
 * await initBackend('cpu'); // run on the plain CPU backend from now on
 * ```
 */
export function initBackend(name?: BackendName): Promise<BackendName> {
  if (name !== undefined) {
    const previous = initialized ?? Promise.resolve(undefined);
    initialized = previous
      .catch(() => undefined)
      .then(() => registerAllGradients())
      .then(() => selectBackend(name, 'initBackend'));
    return initialized;
  }
  initialized ??= registerAllGradients().then(() => selectBackend(process.env['STRATA_BACKEND']));
  return initialized;
}

/** The name of the backend in use, e.g. `"wasm"`. */
export function backendName(): string {
  return tf.getBackend();
}

/**
 * The number of threads the backend in use computes with. On `wasm` it is the size of the WASM
 * thread pool: `STRATA_THREADS` (default: every core, at most 8), or 1 when the threaded build
 * could not start (Strata then printed one line saying why). On `cpu` it is 1; on `tensorflow`,
 * the number of cores (libtensorflow's default pool).
 *
 * @example
 * ```ts
 * import { backendThreads } from '@strata/core';
 * console.log(backendThreads()); // 2 on a two-core machine with STRATA_THREADS unset
 * ```
 */
export function backendThreads(): number {
  const name = tf.getBackend();
  if (name === 'wasm') return wasmThreadsInUse();
  if (name === 'tensorflow') return availableParallelism();
  return 1;
}

/**
 * The backend in use and its thread count, as Strata's examples print it: e.g. `"wasm (2 threads)"`.
 */
export function backendSummary(): string {
  const threads = backendThreads();
  return `${backendName()} (${threads} thread${threads === 1 ? '' : 's'})`;
}
