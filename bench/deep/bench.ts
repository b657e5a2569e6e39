/**
 * Benchmark (not a test) of very deep models: every step a user (or a hostile file) can
 * trigger must stay linear in the number of layers.
 *  1. build a `Sequential` of N ReLU layers, and a functional chain of N ReLU layers;
 *  2. save the Sequential as .keras, load it back;
 *  3. load a functional chain whose config lists the layers in reverse order (from JSON);
 *  4. lint the saved file and the reversed chain (read + lint, as `strata lint` does);
 * for N and 2N layers, so the ratio shows whether a step is linear (≈2) or quadratic (≈4).
 *
 * Run from the repo root:
 *   pnpm bench deep                      (N = 5,000 and 10,000)
 *   node --conditions=strata-source --import tsx bench/deep/bench.ts --layers 2000
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Input,
  Model,
  Sequential,
  initBackend,
  layers,
  loadModel,
  modelFromKerasJson,
  saveModel,
} from '../../packages/core/src/index.js';
import { readModelFile, type JsonObject } from '../../packages/graph/src/index.js';
import { lintModel } from '../../packages/lint/src/index.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** A Keras 3 functional config: input → relu_0 → … → relu_{n-1}, listed last layer first. */
export function reversedChainConfig(n: number): JsonObject {
  const tensor = (layer: string): JsonObject => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, 8], dtype: 'float32', keras_history: [layer, 0, 0] },
  });
  const chain: JsonObject[] = [
    {
      module: 'keras.layers',
      class_name: 'InputLayer',
      registered_name: null,
      name: 'in',
      config: { name: 'in', batch_shape: [null, 8], dtype: 'float32' },
      inbound_nodes: [],
    },
  ];
  for (let i = 0; i < n; i++) {
    const name = `relu_${i}`;
    const from = i === 0 ? 'in' : `relu_${i - 1}`;
    chain.push({
      module: 'keras.layers',
      class_name: 'ReLU',
      registered_name: null,
      name,
      config: { name },
      inbound_nodes: [{ args: [tensor(from)], kwargs: {} }],
    });
  }
  return {
    module: 'keras',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'reversed_chain',
      layers: chain.reverse(),
      input_layers: [['in', 0, 0]],
      output_layers: [[`relu_${n - 1}`, 0, 0]],
    },
  };
}

let quiet = false;

async function timed<T>(what: string, n: number, results: Map<string, number[]>, fn: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await fn();
  const elapsed = performance.now() - start;
  results.set(what, [...(results.get(what) ?? []), elapsed]);
  if (!quiet) console.log(`  ${what.padEnd(34)} ${String(n).padStart(6)} layers  ${elapsed.toFixed(0).padStart(7)} ms`);
  return value;
}

async function runOnce(n: number, dir: string, results: Map<string, number[]>, report = true): Promise<void> {
  quiet = !report;
  const sequential = await timed('build Sequential', n, results, () => {
    const stack = [];
    for (let i = 0; i < n; i++) stack.push(new layers.ReLU());
    return new Sequential([Input([8]), ...stack]);
  });
  await timed('build functional chain', n, results, () => {
    const input = Input([8]);
    let x = input;
    for (let i = 0; i < n; i++) x = new layers.ReLU().apply(x) as typeof input;
    return new Model({ inputs: input, outputs: x });
  });
  const path = join(dir, `deep-${n}.keras`);
  await timed('save .keras', n, results, () => saveModel(sequential, path));
  const loaded = await timed('load .keras', n, results, () => loadModel(path));
  loaded.dispose();
  sequential.dispose();
  const reversed = reversedChainConfig(n);
  const jsonPath = join(dir, `reversed-${n}.json`);
  writeFileSync(jsonPath, JSON.stringify(reversed));
  const chain = await timed('load reversed functional chain', n, results, () => modelFromKerasJson(reversed));
  chain.dispose();
  await timed('lint saved .keras (read + lint)', n, results, async () => lintModel((await readModelFile(path)).model));
  await timed('lint reversed chain (read + lint)', n, results, async () =>
    lintModel((await readModelFile(jsonPath)).model),
  );
}

const base = option('layers', 5000);
await initBackend();
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-deep-'));
const results = new Map<string, number[]>();
try {
  // Warm-up (JIT, h5wasm start-up) so the first measured size is not charged for it.
  await runOnce(200, dir, new Map(), false);
  for (const n of [base, base * 2]) {
    console.log(`\n${n} layers:`);
    try {
      await runOnce(n, dir, results);
    } catch (error) {
      // The WASM backend rethrows uncaught errors from minified code; print ours readably.
      console.error(
        `  failed: ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 12).join('\n') : String(error)}`,
      );
      process.exitCode = 1;
    }
  }
  console.log(`\ntime ratio for ${base * 2} vs ${base} layers (linear ≈ 2, quadratic ≈ 4):`);
  for (const [what, [small, large]] of results) console.log(`  ${what.padEnd(34)} ${(large! / small!).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
