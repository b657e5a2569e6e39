/**
 * Step timing for the training benchmark. The two libraries' steps are interleaved (Strata step,
 * then TF.js Layers step, …) so that both see the same machine load; warm-up steps are excluded
 * and the median is reported. Each step is also checked for leaked tensors.
 */
import { performance } from 'node:perf_hooks';
import { tf } from '../../packages/core/src/index.js';

/** One step of one library (it must finish its work, e.g. read the loss back, before returning). */
export type Step = (index: number) => void | Promise<void>;

/** Timings of one library's measured steps. */
export interface Measurement {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Largest growth of `tf.memory().numTensors` over one measured step (0 when nothing leaks). */
  maxTensorGrowthPerStep: number;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(step: Step, index: number): Promise<{ ms: number; growth: number }> {
  const before = tf.memory().numTensors;
  const start = performance.now();
  await step(index);
  const ms = performance.now() - start;
  return { ms, growth: tf.memory().numTensors - before };
}

/**
 * Runs `warmup` then `steps` steps of each library, alternating between them, and returns the
 * measurements of [first, second]. Warm-up steps create the optimizer slots and fill caches.
 */
export async function measureInterleaved(
  first: Step,
  second: Step,
  warmup: number,
  steps: number,
): Promise<[Measurement, Measurement]> {
  for (let i = 0; i < warmup; i++) {
    await first(i);
    await second(i);
  }
  const runs: { ms: number; growth: number }[][] = [[], []];
  for (let i = 0; i < steps; i++) {
    // Alternate which library goes first, so neither always runs right after the other's garbage.
    const order = i % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    for (const which of order) runs[which]!.push(await timed(which === 0 ? first : second, warmup + i));
  }
  const summarize = (list: { ms: number; growth: number }[]): Measurement => ({
    medianMs: median(list.map((r) => r.ms)),
    minMs: Math.min(...list.map((r) => r.ms)),
    maxMs: Math.max(...list.map((r) => r.ms)),
    maxTensorGrowthPerStep: Math.max(...list.map((r) => r.growth)),
  });
  return [summarize(runs[0]!), summarize(runs[1]!)];
}
