/**
 * Starts TF.js's threaded SIMD WASM build under Node. TF.js ships it but turns it off in Node
 * (its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false there, tfjs#3830) because its loader hands
 * Emscripten browser-only pieces: the pthread worker script and the main script as Blob URLs,
 * which Node's `worker_threads` cannot run. Emscripten's glue itself supports Node, so this
 * module runs the same glue with Node-ready pieces instead:
 *
 * - the worker script is TF.js's own (`wasmWorkerContents`), run as an `eval` worker (it needs
 *   CommonJS `require`, which Node gives eval workers), so no file is written;
 * - the main script is the glue's file path (the workers read it with `fs`);
 * - the wasm binary is the file beside it.
 *
 * Two more Node details: the C++ side caps its thread pool at half of
 * `emscripten_num_logical_cores()` (it assumes two hyper-threads per core), which Node answers
 * with `os.cpus().length`, so that count reads as twice the wanted threads while the module
 * starts; and Emscripten refs a worker while it runs a pthread, and the pool's threads never
 * return, so every worker is unref'd once the pool is up (else the process would never exit).
 * The build starts 8 workers up front; those the pool does not use are terminated.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as NodeWorker, WorkerOptions } from 'node:worker_threads';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { createPoolSwitch, findThreadPoolAddress, type PoolModule, type PoolSwitch } from './pool-switch.js';

const require = createRequire(import.meta.url);
const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/';

/** The parts of the Emscripten module (the threaded build's `Module`) this file uses. */
interface ThreadedModule extends PoolModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => unknown;
  PThread?: { unusedWorkers: NodeWorker[]; runningWorkers: NodeWorker[] };
  tfjs?: Record<string, unknown>;
}

/** The settings the Emscripten factory reads (it also writes the module's members onto this object). */
interface FactoryConfig {
  locateFile(path: string, prefix: string): string;
  mainScriptUrlOrBlob: string;
  printErr(text: string): void;
  PThread?: ThreadedModule['PThread'];
}

type ThreadedFactory = (config: FactoryConfig) => Promise<ThreadedModule>;

/** The members of `@tensorflow/tfjs-backend-wasm` used here. */
interface WasmPackage {
  BackendWasm: new (module: never) => KernelBackend;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

/** A started threaded backend and the number of threads its pool really runs. */
export interface ThreadedWasm {
  backend: KernelBackend;
  threads: number;
  /** Switches the pool on for one kernel call; null when the pool could not be found (it stays on). */
  pool: PoolSwitch | null;
}

/** Options of {@link startThreadedWasm}. */
export interface ThreadedWasmOptions {
  /** How long the workers may take to start, in milliseconds. */
  timeoutMs: number;
}

/** Everything the startup patches, so that both success and failure restore it. */
interface Patches {
  restore(): void;
}

/**
 * Makes `os.cpus()` report `2 × threads` processors and `worker_threads.Worker` create guarded
 * eval workers, for the duration of the module's start.
 */
function patchForStart(threads: number, workerClass: typeof NodeWorker): Patches {
  const os = require('node:os') as typeof import('node:os');
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const realCpus = os.cpus;
  const realWorker = workerThreads.Worker;
  const globals = globalThis as { Worker?: unknown };
  const hadGlobalWorker = Object.prototype.hasOwnProperty.call(globals, 'Worker');
  const globalWorker = globals.Worker;
  os.cpus = () => {
    const real = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % Math.max(real.length, 1)]!);
  };
  workerThreads.Worker = workerClass;
  return {
    restore() {
      os.cpus = realCpus;
      workerThreads.Worker = realWorker;
      // The glue sets a global `Worker` for itself; the pool is complete, so it needs it no more.
      if (hadGlobalWorker) globals.Worker = globalWorker;
      else delete globals.Worker;
    },
  };
}

/** Every worker the module holds, started or idle. */
function workersOf(config: FactoryConfig): NodeWorker[] {
  const pool = config.PThread;
  return pool === undefined ? [] : [...pool.runningWorkers, ...pool.unusedWorkers];
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * Starts the threaded SIMD WASM module with `threads` threads and wraps it in TF.js's
 * `BackendWasm`. Rejects (and terminates every worker it started) when a worker fails, the module
 * aborts, or the workers do not start within `timeoutMs`.
 *
 * @param threads - the pool size, 2 to 8
 * @param options - the start timeout
 */
export async function startThreadedWasm(threads: number, options: ThreadedWasmOptions): Promise<ThreadedWasm> {
  const wasmPackage = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  const mainScript = require.resolve(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.js`);
  const wasmBinary = join(dirname(mainScript), 'tfjs-backend-wasm-threaded-simd.wasm');
  const { wasmWorkerContents } = require(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.worker.js`) as {
    wasmWorkerContents: string;
  };
  // The contents come from a template literal that turned the "\n" inside one string into a real
  // line break; TF.js's loader escapes it back the same way.
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
  const factory = require(mainScript) as ThreadedFactory;
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');

  let fail: (reason: string) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = (reason) => reject(new Error(reason));
  });
  let starting = true;
  const messages: string[] = [];

  /** A pthread worker running TF.js's worker script; a failure while starting rejects the start. */
  class PthreadWorker extends Worker {
    constructor(_script: string | URL, workerOptions?: WorkerOptions) {
      // No inherited flags: `--input-type=module` (node -e scripts) would make the eval an ES
      // module without `require`, and loaders such as tsx only slow the worker's start.
      super(workerSource, { ...workerOptions, eval: true, execArgv: [] });
    }
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'error' && starting) {
        fail(`a worker thread failed: ${firstLine(args[0])}`);
        return true;
      }
      return super.emit(event, ...args);
    }
  }

  const config: FactoryConfig = {
    locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasmBinary : prefix + path),
    mainScriptUrlOrBlob: mainScript,
    // Kept while starting (the reason for a failure); printed as Emscripten would afterwards.
    printErr: (text) => (starting ? void messages.push(text) : console.error(text)),
  };
  const patches = patchForStart(threads, PthreadWorker);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = factory(config);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the worker threads did not start within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    // The losers of the race may still settle; nobody waits for them.
    for (const late of [ready, failed, timeout]) late.catch(() => undefined);
    const module = await Promise.race([ready, failed, timeout]);
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    // BackendWasm's constructor creates the pool with the count set here.
    wasmPackage.setThreadsCount(threads);
    const backend = new wasmPackage.BackendWasm(module as never);
    starting = false;
    // The pool's threads run for good; the build's other pre-started workers are never used
    // (nothing creates threads after this) and each holds a V8 isolate, so they are let go.
    const pool = config.PThread!;
    for (const idle of pool.unusedWorkers.splice(0)) void idle.terminate();
    for (const worker of pool.runningWorkers) worker.unref();
    const threadsInPool = wasmPackage.getThreadsCount();
    const address = findThreadPoolAddress(wasmBinary);
    return { backend, threads: threadsInPool, pool: address === null ? null : createPoolSwitch(module, address) };
  } catch (error) {
    starting = false;
    for (const worker of workersOf(config)) void worker.terminate();
    const detail = messages.find((text) => text.trim() !== '');
    const reason = firstLine(error);
    throw new Error(detail === undefined || reason.includes(detail) ? reason : `${reason} (${firstLine(detail)})`);
  } finally {
    clearTimeout(timer);
    patches.restore();
  }
}
