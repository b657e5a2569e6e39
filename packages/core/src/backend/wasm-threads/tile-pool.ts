/**
 * Strata's own SIMD loops (wasm-kernels/simd-kernels.ts) on every thread. With threads on, the
 * wasm heap is a shared `WebAssembly.Memory`; a few Node worker threads instantiate the same
 * compiled loop module on it and take blocks of a job's calls, while the calling thread takes
 * blocks too (the claim protocol and the worker's source are in tile-pool-worker.ts).
 *
 * A job is a list of calls of one loop whose calls are independent (each writes its own part of
 * the output), so which thread runs a call changes nothing in the results: every output element
 * is still the same dot product in the same order, bit for bit.
 *
 * Robust on a busy machine: the caller never waits for a worker to wake up, only for blocks that
 * were claimed to finish, so a descheduled worker costs at most its current block. Workers are
 * started without Node flags (as threaded-wasm.ts starts pthread workers), unref'd (they never
 * keep the process alive), and stopped with the backend. A worker that fails to start is simply
 * left out; with none left, every job runs on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { MAX_ARGS, SLOT, TILE_WORKER_SOURCE, type TileWorkerData } from './tile-pool-worker.js';

/**
 * Blocks per thread that callers cut a job into: several, so that the share of a thread that
 * falls behind (a late wake-up, a descheduled worker) is taken over by the others.
 */
export const BLOCKS_PER_THREAD = 8;

/** A loop of the module: int32 arguments, no result. */
export type PoolLoop = (...args: number[]) => unknown;

/** Options of {@link createTilePool}. */
export interface TilePoolOptions {
  /** The shared memory the loops run on. */
  memory: WebAssembly.Memory;
  /** The loop module compiled for shared memories (importing `env.memory`). */
  module: WebAssembly.Module;
  /** The calling thread's instance of `module` on `memory` (its exports). */
  exports: object;
  /** How many worker threads to start besides the calling thread (0: none). */
  workers: number;
  /** Calls the call table holds before a job is run in parts (default 16384). */
  tableCalls?: number;
  /** Tests only: the initial {@link TilePool.callerWorks}. */
  callerWorks?: boolean;
  /** Tests only: see {@link TileWorkerData.hold}. */
  hold?: Int32Array;
  /**
   * How long the caller waits for a claimed block without any block finishing before it gives up
   * with an error (default 60 s): a worker killed in the middle of a block would otherwise leave
   * it waiting for ever. A block is a small share of one kernel, so a healthy pool never gets near.
   */
  stallMs?: number;
}

/** Calls of one loop, collected and then run over the pool's threads. */
export interface PoolJob {
  /** Adds a call of the job's loop (at most 13 int32 arguments); it may run at once or at {@link PoolJob.run}. */
  call(...args: number[]): void;
  /** Runs the calls not run yet and returns when all of them are done. */
  run(): void;
}

/** Strata's SIMD loops on every thread (see the module comment). */
export interface TilePool {
  /** The threads that can take blocks: the calling thread plus every worker that has not failed. */
  readonly threads: number;
  /** Resolves when every worker has started (or failed to): for tests and measurements. */
  readonly ready: Promise<void>;
  /** Blocks run by worker threads so far (for tests and measurements). */
  readonly workerBlocks: number;
  /** Tests only: false makes the calling thread leave every block to the workers while any is alive. */
  callerWorks: boolean;
  /**
   * A job of calls of the exported loop `loop`, cut into blocks of `perBlock` consecutive calls
   * (a block is the unit a thread claims; give each a fair share of work).
   */
  job(loop: string, perBlock: number): PoolJob;
  /** Stops the workers; later jobs run on the calling thread. */
  stop(): Promise<void>;
}

const LOW = 0xffffffffn;

class SharedTilePool implements TilePool {
  readonly ready: Promise<void>;
  private readonly control: Int32Array;
  private readonly claim: BigUint64Array;
  private readonly loops: string[] = [];
  private readonly loopIndex = new Map<string, number>();
  private readonly callerFns: PoolLoop[] = [];
  private readonly workerSet = new Set<Worker>();
  private readonly capacity: number;
  callerWorks: boolean;
  private generation = 0;
  private busy = false;

  constructor(private readonly options: TilePoolOptions) {
    this.capacity = Math.max(1, options.tableCalls ?? 16384);
    // One call's worth of slack: a worker reads MAX_ARGS slots for every call.
    const control = new SharedArrayBuffer(4 * (SLOT.table + (this.capacity + 1) * MAX_ARGS));
    this.control = new Int32Array(control);
    this.claim = new BigUint64Array(control, 0, 1);
    this.callerWorks = options.callerWorks ?? true;
    for (const [name, value] of Object.entries(options.exports)) {
      if (typeof value !== 'function') continue;
      this.loopIndex.set(name, this.loops.length);
      this.loops.push(name);
      this.callerFns.push(value as PoolLoop);
    }
    const starts: Promise<void>[] = [];
    for (let i = 0; i < options.workers; i++) starts.push(this.startWorker(control));
    this.ready = Promise.all(starts).then(() => undefined);
  }

  get threads(): number {
    return 1 + this.workerSet.size;
  }

  get workerBlocks(): number {
    return Atomics.load(this.control, SLOT.workerBlocks);
  }

  private startWorker(control: SharedArrayBuffer): Promise<void> {
    const workerData: TileWorkerData = {
      module: this.options.module,
      memory: this.options.memory,
      control,
      loops: this.loops,
      hold: this.options.hold ?? null,
    };
    let worker: Worker;
    try {
      // No inherited flags (e.g. --input-type=module or a loader): the eval worker needs `require`.
      worker = new Worker(TILE_WORKER_SOURCE, { eval: true, execArgv: [], workerData });
    } catch {
      return Promise.resolve();
    }
    worker.unref();
    this.workerSet.add(worker);
    return new Promise((started) => {
      worker.once('message', () => started());
      // A worker that cannot start (or dies) is left out quietly: the caller takes its blocks.
      worker.on('error', () => {
        this.workerSet.delete(worker);
        started();
      });
      worker.once('exit', () => {
        this.workerSet.delete(worker);
        started();
      });
    });
  }

  job(loop: string, perBlock: number): PoolJob {
    const index = this.loopIndex.get(loop);
    if (index === undefined) throw new Error(`tile pool: the module exports no loop '${loop}'`);
    const fn = this.callerFns[index]!;
    // Several blocks per thread in each part of a job that outgrows the call table.
    const per = Math.max(
      1,
      Math.min(Math.floor(perBlock), Math.floor(this.capacity / (BLOCKS_PER_THREAD * this.threads))),
    );
    // One thread, or a job already running (a loop cannot start another): calls run at once.
    if (this.workerSet.size === 0 || this.busy) return { call: (...args) => void fn(...args), run: () => undefined };
    this.busy = true;
    let calls = 0;
    const table = this.control;
    const flush = (): void => {
      if (calls > 0) this.runTable(index, fn, calls, per);
      calls = 0;
    };
    return {
      call: (...args) => {
        if (calls === this.capacity) flush();
        const at = SLOT.table + calls * MAX_ARGS;
        for (let i = 0; i < args.length; i++) table[at + i] = args[i]!;
        calls++;
      },
      run: () => {
        try {
          flush();
        } finally {
          this.busy = false;
        }
      },
    };
  }

  /** Runs the table's first `calls` calls: publishes the job, takes blocks, waits for the claimed ones. */
  private runTable(index: number, fn: PoolLoop, calls: number, per: number): void {
    const c = this.control;
    const blocks = Math.ceil(calls / per);
    if (blocks === 1 || this.workerSet.size === 0) {
      this.runBlocks(fn, 0, calls, calls);
      return;
    }
    Atomics.store(c, SLOT.loop, index);
    Atomics.store(c, SLOT.calls, calls);
    Atomics.store(c, SLOT.perBlock, per);
    Atomics.store(c, SLOT.blocks, blocks);
    Atomics.store(c, SLOT.done, 0);
    Atomics.store(c, SLOT.failed, 0);
    // Generations 1 … 2³²−1 (0 means "no job yet"): the claim word first, then the wake-up.
    this.generation = (this.generation % 0xffffffff) + 1;
    Atomics.store(this.claim, 0, (BigInt(this.generation) << 32n) | BigInt(blocks));
    Atomics.store(c, SLOT.generation, this.generation | 0);
    Atomics.notify(c, SLOT.generation);
    if (this.callerWorks || this.workerSet.size === 0) this.takeBlocks(fn, blocks, per, calls);
    const stallMs = this.options.stallMs ?? 60_000;
    let progressAt = Date.now();
    for (let done = Atomics.load(c, SLOT.done); done < blocks;) {
      Atomics.wait(c, SLOT.done, done, 50);
      // Tests may leave every block to the workers: should they all be gone, take what is left.
      if (!this.callerWorks && this.workerSet.size === 0) this.takeBlocks(fn, blocks, per, calls);
      const now = Atomics.load(c, SLOT.done);
      if (now !== done) [done, progressAt] = [now, Date.now()];
      else if (Date.now() - progressAt > stallMs) {
        throw new Error(
          `tile pool: no block of a '${this.loops[index]}' job finished in ${stallMs / 1000} s; a worker thread ` +
            `stopped in the middle of one. Set STRATA_THREADS=1 to train on one thread.`,
        );
      }
    }
    const failed = Atomics.load(c, SLOT.failed);
    if (failed !== 0) {
      throw new Error(`tile pool: a worker thread failed on block ${failed - 1} of a '${this.loops[index]}' job`);
    }
  }

  /** Claims and runs blocks of the current job until none is left. */
  private takeBlocks(fn: PoolLoop, blocks: number, per: number, calls: number): void {
    const tag = BigInt(this.generation) << 32n;
    for (;;) {
      const word = Atomics.load(this.claim, 0);
      const remaining = Number(word & LOW);
      if ((word & ~LOW) !== tag || remaining === 0) return;
      if (Atomics.compareExchange(this.claim, 0, word, word - 1n) !== word) continue;
      const block = blocks - remaining;
      try {
        this.runBlocks(fn, block * per, Math.min(calls, (block + 1) * per), calls);
      } finally {
        Atomics.add(this.control, SLOT.done, 1);
      }
    }
  }

  /** Runs calls [first, end) of the table on the calling thread. */
  private runBlocks(fn: PoolLoop, first: number, end: number, calls: number): void {
    const t = this.control;
    for (let i = first; i < end && i < calls; i++) {
      const o = SLOT.table + i * MAX_ARGS;
      fn(
        t[o]!,
        t[o + 1]!,
        t[o + 2]!,
        t[o + 3]!,
        t[o + 4]!,
        t[o + 5]!,
        t[o + 6]!,
        t[o + 7]!,
        t[o + 8]!,
        t[o + 9]!,
        t[o + 10]!,
        t[o + 11]!,
        t[o + 12]!,
      );
    }
  }

  async stop(): Promise<void> {
    const workers = [...this.workerSet];
    this.workerSet.clear();
    Atomics.store(this.control, SLOT.stop, 1);
    Atomics.add(this.control, SLOT.generation, 1);
    Atomics.notify(this.control, SLOT.generation);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * Starts a pool of `options.workers` worker threads that run `options.module`'s loops on
 * `options.memory` (which must be shared) together with the calling thread. Never throws for a
 * worker that cannot start: the pool then has fewer threads (see {@link TilePool.threads}).
 */
export function createTilePool(options: TilePoolOptions): TilePool {
  if (!(options.memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error('tile pool: the memory must be shared (a threaded wasm heap)');
  }
  return new SharedTilePool(options);
}

/** The pool of the running threaded backend (null: one thread). */
let activePool: TilePool | null = null;
let poolOff = 0;

/** Makes kernels run their loops on `pool` (null: on the calling thread only). */
export function setActiveTilePool(pool: TilePool | null): void {
  activePool = pool;
}

/** The pool kernels run their loops on, or null (one thread, or inside {@link withoutTilePool}). */
export function activeTilePool(): TilePool | null {
  return poolOff > 0 ? null : activePool;
}

/**
 * Below this much work (multiply-adds, or float32 elements read and written) a job stays on the
 * calling thread: waking a worker (tens of microseconds) would cost about what it saves.
 */
export const POOLED_WORK = 1 << 20;

/**
 * How many of `count` units (calls, rows, images, elements…) one block of a job on `pool` takes, a
 * multiple of `unit`: enough for {@link BLOCKS_PER_THREAD} blocks per thread (all of them in one
 * block without a pool).
 */
export function blockShare(count: number, pool: TilePool | null, unit = 1): number {
  return unit * Math.ceil(count / unit / (BLOCKS_PER_THREAD * (pool?.threads ?? 1)));
}

/** The active pool when a job of `work` is worth handing out (see {@link POOLED_WORK}), else null. */
export function tilePoolFor(work: number): TilePool | null {
  return work >= POOLED_WORK ? activeTilePool() : null;
}

/** Runs `fn` with every loop on the calling thread (for comparisons in tests and benchmarks). */
export function withoutTilePool<T>(fn: () => T): T {
  poolOff++;
  try {
    return fn();
  } finally {
    poolOff--;
  }
}

/**
 * A job of `loop` calls on `pool`, or, without a pool, one that calls `exports[loop]` at once on
 * the calling thread (the one-thread path: the same calls in the same order).
 */
export function loopJob<Exports extends object>(
  pool: TilePool | null,
  exports: Exports,
  loop: keyof Exports & string,
  perBlock: number,
): PoolJob {
  if (pool !== null && pool.threads > 1) return pool.job(loop, perBlock);
  const fn = exports[loop] as unknown as PoolLoop;
  return { call: (...args) => void fn(...args), run: () => undefined };
}
