/**
 * The hand-off between the calling thread and the tile pool's workers (tile-pool.ts): the layout
 * of the shared control block and the worker's source (an `eval` worker: no imports, no files).
 *
 * A job is a table of calls of one exported loop, cut into blocks of consecutive calls. Blocks
 * are claimed one by one from a 64-bit claim word `(generation << 32) | remaining blocks` by
 * compare-and-exchange, so that
 * - the calling thread claims blocks as well and never waits for a worker that is asleep or
 *   descheduled: it waits only for blocks that were claimed to finish;
 * - a late worker, still holding an older job's generation, cannot claim anything: the claim word
 *   carries the newer generation (or no blocks left), so its exchange fails and it never runs a
 *   block with an older job's arguments. A job's parameters are rewritten only after all its
 *   blocks were claimed and finished, so a successful claim proves the parameters it read first
 *   are that job's.
 */

/** Int32 slots of the control block (slots 0–1 hold the 64-bit claim word). */
export const SLOT = {
  /** The generation of the latest published job (workers sleep on it); 0 before the first. */
  generation: 2,
  /** Blocks of the current job finished (the caller sleeps on it). */
  done: 3,
  /** The index of the job's loop in the pool's list of loop names. */
  loop: 4,
  /** Calls in the job's table. */
  calls: 5,
  /** Consecutive calls per block. */
  perBlock: 6,
  /** Blocks of the job. */
  blocks: 7,
  /** 1 + the block a worker failed on (0: none). */
  failed: 8,
  /** Set when the pool stops: workers return. */
  stop: 9,
  /** Blocks run by workers (for tests and measurements). */
  workerBlocks: 10,
  /** First slot of the call table: MAX_ARGS int32 arguments per call. */
  table: 16,
} as const;

/** The most int32 arguments a loop of the pool takes. */
export const MAX_ARGS = 13;

/** How many idle checks (~15 µs) a worker makes before it sleeps: few, as spinning takes a core from other work. */
const IDLE_SPINS = 2000;

/** What a worker is started with (its `workerData`). */
export interface TileWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  loops: readonly string[];
  /**
   * Tests only: with hold[0] = 1, the next worker to read a job counts hold[1] up and waits before
   * claiming, as if descheduled, until hold[0] is cleared or a newer job is published; then it
   * clears hold[0] and goes on with the job it read.
   */
  hold: Int32Array | null;
}

/**
 * The worker's source. It instantiates the module on the shared memory, says 'ready', then runs
 * blocks of each new job until the pool stops. Every call passes MAX_ARGS arguments: a loop
 * ignores those beyond its own parameters.
 */
export const TILE_WORKER_SOURCE = `
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, loops, hold } = workerData;
const c = new Int32Array(control);
const claim = new BigUint64Array(control, 0, 1);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = loops.map((name) => exports[name]);
const G = ${SLOT.generation}, DONE = ${SLOT.done}, LOOP = ${SLOT.loop}, CALLS = ${SLOT.calls};
const PER = ${SLOT.perBlock}, BLOCKS = ${SLOT.blocks}, FAILED = ${SLOT.failed}, STOP = ${SLOT.stop};
const WB = ${SLOT.workerBlocks}, T = ${SLOT.table}, A = ${MAX_ARGS};
const LOW = 0xffffffffn;

function runBlock(fn, block, per, calls) {
  const end = Math.min(calls, (block + 1) * per);
  for (let i = block * per; i < end; i++) {
    const o = T + i * A;
    fn(c[o], c[o + 1], c[o + 2], c[o + 3], c[o + 4], c[o + 5], c[o + 6], c[o + 7], c[o + 8], c[o + 9], c[o + 10], c[o + 11], c[o + 12]);
  }
}

function work(generation) {
  const fn = fns[Atomics.load(c, LOOP)];
  const calls = Atomics.load(c, CALLS);
  const per = Atomics.load(c, PER);
  const blocks = Atomics.load(c, BLOCKS);
  const tag = BigInt(generation >>> 0) << 32n;
  if (hold !== null && Atomics.load(hold, 0) !== 0) {
    Atomics.add(hold, 1, 1);
    while (Atomics.load(hold, 0) !== 0 && Atomics.load(c, G) === generation) Atomics.wait(hold, 0, 1, 5);
    Atomics.store(hold, 0, 0);
  }
  for (;;) {
    const word = Atomics.load(claim, 0);
    const remaining = Number(word & LOW);
    if ((word & ~LOW) !== tag || remaining === 0) return;
    if (Atomics.compareExchange(claim, 0, word, word - 1n) !== word) continue;
    const block = blocks - remaining;
    try {
      runBlock(fn, block, per, calls);
      Atomics.add(c, WB, 1);
    } catch {
      Atomics.compareExchange(c, FAILED, 0, block + 1);
    }
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
}

parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  let generation = Atomics.load(c, G);
  for (let i = 0; generation === seen && i < ${IDLE_SPINS}; i++) generation = Atomics.load(c, G);
  if (generation === seen) {
    Atomics.wait(c, G, seen);
    continue;
  }
  if (Atomics.load(c, STOP) !== 0) break;
  seen = generation;
  work(generation);
}
`;
