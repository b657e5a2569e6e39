/**
 * How many threads the WASM backend runs: `STRATA_THREADS` (an integer ≥ 1; unset or empty means
 * every core), capped at {@link MAX_WASM_THREADS}, the threaded build's own limit. One thread means
 * the plain SIMD build, exactly as before threads existed.
 */
import { availableParallelism } from 'node:os';
import { BackendError } from '../backend-error.js';

/** The environment variable that sets the WASM backend's thread count. */
export const THREADS_VARIABLE = 'STRATA_THREADS';

/** The environment variable that sets how long the worker threads may take to start (milliseconds). */
export const THREADS_TIMEOUT_VARIABLE = 'STRATA_THREADS_TIMEOUT_MS';

/**
 * The most threads the threaded WASM build uses: it starts 8 workers up front and TF.js caps its
 * pool at 8. More would make Emscripten create a worker while the main thread waits for it, which
 * never starts.
 */
export const MAX_WASM_THREADS = 8;

/** How long the worker threads may take to start before Strata falls back to one thread. */
export const DEFAULT_THREADS_TIMEOUT_MS = 30_000;

/** Reads a positive integer from an environment value, or `fallback` when it is unset or empty. */
function positiveInteger(variable: string, value: string | undefined, fallback: number, choices: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim();
  const parsed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new BackendError(`${variable}="${value}" is not valid; valid choices: ${choices}`);
  }
  return parsed;
}

/**
 * The WASM thread count `STRATA_THREADS` asks for: its integer value (at most
 * {@link MAX_WASM_THREADS}), or every core when it is unset or empty.
 *
 * @param value - the variable's value (`process.env.STRATA_THREADS`)
 * @param cores - the number of cores (default `os.availableParallelism()`)
 * @throws BackendError naming the variable, the value and the valid choices when it is not an integer ≥ 1
 */
export function parseThreadsSetting(value: string | undefined, cores = availableParallelism()): number {
  const all = Math.max(1, Math.min(cores, MAX_WASM_THREADS));
  const choices =
    `an integer ≥ 1 (1 = one thread; more than ${MAX_WASM_THREADS} runs ${MAX_WASM_THREADS}), ` +
    `or unset for every core (${all} here)`;
  return Math.min(positiveInteger(THREADS_VARIABLE, value, all, choices), MAX_WASM_THREADS);
}

/**
 * How long the worker threads may take to start, from `STRATA_THREADS_TIMEOUT_MS`
 * (default {@link DEFAULT_THREADS_TIMEOUT_MS}).
 *
 * @throws BackendError naming the variable, the value and the valid choices when it is not an integer ≥ 1
 */
export function parseThreadsTimeout(value: string | undefined): number {
  const choices = `a whole number of milliseconds ≥ 1, or unset for ${DEFAULT_THREADS_TIMEOUT_MS}`;
  return positiveInteger(THREADS_TIMEOUT_VARIABLE, value, DEFAULT_THREADS_TIMEOUT_MS, choices);
}
