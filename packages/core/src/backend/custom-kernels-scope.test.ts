/**
 * Strata's own kernels and kernel fixes are for the `wasm` and `cpu` backends only: where
 * `@tensorflow/tfjs-node` loads, its native kernels must run, not Strata's. TF.js keeps kernels
 * and gradients in one registry per process (shared by every tfjs-core copy), so this compares
 * that registry, as it is after initBackend() here, with the registry a fresh process builds from
 * the stock packages alone (tfjs-core's gradients, tfjs-backend-wasm, tfjs-backend-cpu, and
 * tfjs-node as far as it loads on the machine — it registers its `tensorflow` kernels even where
 * its native library then fails). Generic: any kernel a future change adds or replaces is covered.
 *
 * The fallback half — layers must not call a Strata kernel on a backend that lacks it — is checked
 * in-process on a backend that has exactly the stock cpu kernels (as tfjs-node has only its own).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Input, Sequential, layers } from '../index.js';
import { backendName, initBackend, type BackendName } from './select.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Registry key → a hash of the registered function's source (a replaced kernel has other source). */
type Snapshot = { kernels: Record<string, { kernelName: string; backendName: string; source: string }> } & {
  gradients: Record<string, string>;
};

// Prints the registry the stock packages build, in the order Strata's initBackend() loads them.
const STOCK_SCRIPT = `
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const require = createRequire(new URL('./packages/core/package.json', 'file://' + process.cwd() + '/'));
const load = async (name) => { try { await import(require.resolve(name)); } catch {} };
await load('@tensorflow/tfjs-core');
const { registerAllGradients } = await import('./packages/core/src/backend/gradients.ts');
await registerAllGradients();
await load('@tensorflow/tfjs-node-gpu');
await load('@tensorflow/tfjs-node');
await load('@tensorflow/tfjs-backend-wasm');
await load('@tensorflow/tfjs-backend-cpu');
const hash = (f) => createHash('sha1').update(String(f)).digest('hex');
const globals = globalThis._tfGlobals;
const kernels = {};
for (const [key, c] of globals.get('kernelRegistry')) kernels[key] = { kernelName: c.kernelName, backendName: c.backendName, source: hash(c.kernelFunc) };
const gradients = {};
for (const [name, g] of globals.get('gradRegistry')) gradients[name] = hash(g.gradFunc);
console.log(JSON.stringify({ kernels, gradients }));
`;

let snapshot: Snapshot | undefined;
/** The stock registry (computed once per file: it takes a child process). */
function stockSnapshot(): Snapshot {
  return (snapshot ??= readStockSnapshot());
}

function readStockSnapshot(): Snapshot {
  const stdout = execFileSync(
    process.execPath,
    ['--conditions=strata-source', '--import', 'tsx', '--input-type=module', '-e', STOCK_SCRIPT],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as Snapshot;
}

/** The registries of this process (TF.js keeps them on globalThis._tfGlobals, shared by all its copies). */
function registries(): {
  kernels: Map<string, tf.KernelConfig>;
  gradients: Map<string, tf.GradConfig>;
} {
  const globals = (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals;
  const kernels = globals?.get('kernelRegistry');
  const gradients = globals?.get('gradRegistry');
  if (!(kernels instanceof Map) || !(gradients instanceof Map)) {
    throw new Error('TF.js kernel/gradient registries not found on globalThis._tfGlobals (has tfjs-core changed?)');
  }
  return { kernels: kernels as Map<string, tf.KernelConfig>, gradients: gradients as Map<string, tf.GradConfig> };
}

const hash = (f: unknown): string => createHash('sha1').update(String(f)).digest('hex');
const STRATA_BACKENDS = new Set(['wasm', 'cpu']);
/** The in-process test backend below; it exists only while its test runs. */
const STOCK_CPU = 'strata-test-stock-cpu';

describe('Strata registers kernels and gradients for the wasm and cpu backends only', () => {
  it("after initBackend(), every kernel of any other backend ('tensorflow' included) is the stock one, and Strata's own and replaced kernels are on wasm/cpu only", async () => {
    // Load both of Strata's backends (registering all its kernels), then return to the chosen one.
    const chosen = backendName() as BackendName;
    await initBackend('cpu');
    await initBackend('wasm');
    await initBackend(chosen);
    const stock = stockSnapshot();
    const { kernels } = registries();
    const changed: string[] = [];
    const elsewhere: string[] = [];
    for (const [key, config] of kernels) {
      if (config.backendName === STOCK_CPU) continue;
      const original = stock.kernels[key];
      if (original !== undefined && original.source === hash(config.kernelFunc)) continue;
      changed.push(key);
      if (!STRATA_BACKENDS.has(config.backendName)) elsewhere.push(`${config.kernelName} for '${config.backendName}'`);
    }
    // Strata's own kernels (e.g. the fused LSTM gates) and the training kernels stock wasm lacks
    // (e.g. Conv2DBackpropFilter) show up here; without them the comparison would see nothing.
    expect(changed.filter((key) => key.startsWith('wasm_Strata')).length).toBeGreaterThan(0);
    expect(changed.filter((key) => key.startsWith('cpu_Strata')).length).toBeGreaterThan(0);
    expect(changed).toContain('wasm_Conv2DBackpropFilter');
    expect(elsewhere).toEqual([]);
    const strataNamed = [...kernels.values()].filter((c) => c.kernelName.startsWith('Strata'));
    expect(strataNamed.filter((c) => !STRATA_BACKENDS.has(c.backendName)).map((c) => c.backendName)).toEqual([]);
    // tf.getKernelsForBackend('tensorflow') lists what tfjs-node registered, even where its native
    // library cannot load (none where it is not installed); none of them is Strata's.
    for (const config of tf.getKernelsForBackend('tensorflow')) {
      expect(config.kernelName.startsWith('Strata'), config.kernelName).toBe(false);
      expect(hash(config.kernelFunc), config.kernelName).toBe(stock.kernels[`tensorflow_${config.kernelName}`]?.source);
    }
  });

  it("custom gradients are attached only to Strata's own kernel names; every stock kernel keeps TF.js's gradient", () => {
    const stock = stockSnapshot();
    const { gradients, kernels } = registries();
    const stockKernelNames = new Set(Object.values(stock.kernels).map((k) => k.kernelName));
    const added: string[] = [];
    for (const [name, config] of gradients) {
      const original = stock.gradients[name];
      if (original !== undefined) {
        // A replaced gradient for a stock kernel name would change TF.js's gradient on every backend.
        expect(hash(config.gradFunc), `gradient of ${name}`).toBe(original);
        continue;
      }
      added.push(name);
      expect(stockKernelNames.has(name), `${name} is a stock kernel name`).toBe(false);
      const backends = [...kernels.values()].filter((k) => k.kernelName === name).map((k) => k.backendName);
      expect(
        backends.filter((b) => !STRATA_BACKENDS.has(b)),
        `${name} is registered for`,
      ).toEqual([]);
    }
    // Strata's fused kernels carry their own gradients (e.g. StrataLSTMGates).
    expect(added.filter((name) => name.startsWith('Strata')).length).toBeGreaterThan(0);
  });
});

/** Initial weights as plain arrays, so that they can be given to models on another backend. */
type Weights = { values: Float32Array; shape: number[] }[][];

/**
 * A tiny LSTM model and a tiny conv model, two training steps each (from `start` when given);
 * the second step's losses and the initial weights.
 */
function trainTinyModels(start?: Weights): { losses: number[]; initial: Weights } {
  const lstm = new Sequential([Input([5, 3]), new layers.LSTM(4), new layers.Dense(1)]);
  const conv = new Sequential([
    Input([6, 6, 2]),
    new layers.Conv2D(3, [3, 3], { activation: 'relu', padding: 'same' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Flatten(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  const losses: number[] = [];
  const initial: Weights = [];
  const cases = [
    [lstm, 'mse', tf.randomNormal([4, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([4, 1], 0, 1, 'float32', 2)],
    [conv, 'categorical_crossentropy', tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 3), tf.oneHot([0, 1, 1, 0], 2)],
  ] as const;
  cases.forEach(([model, loss, x, y], i) => {
    const given = start?.[i];
    if (given !== undefined) {
      const tensors = given.map((w) => tf.tensor(w.values, w.shape));
      model.setWeights(tensors);
      tf.dispose(tensors);
    }
    const weights = model.getWeights();
    initial.push(weights.map((w) => ({ values: w.dataSync() as Float32Array, shape: w.shape })));
    tf.dispose(weights);
    model.compile({ optimizer: 'adam', loss });
    model.trainOnBatch(x, y);
    losses.push(Number(model.trainOnBatch(x, y)));
    tf.dispose([x, y]);
    model.dispose();
  });
  return { losses, initial };
}

describe('layers fall back to stock kernels where a backend lacks Strata’s (as on tfjs-node)', () => {
  it('a tiny LSTM and conv model train on a backend with exactly the stock cpu kernels, run none of Strata’s, and match cpu', async () => {
    const original = backendName();
    const stock = stockSnapshot();
    const stockCpu = Object.values(stock.kernels).filter((k) => k.backendName === 'cpu');
    const stockNames = new Set(stockCpu.map((k) => k.kernelName));
    const copied: string[] = [];
    try {
      await initBackend('cpu');
      const expected = trainTinyModels();
      tf.registerBackend(
        STOCK_CPU,
        () => {
          const backend = new MathBackendCPU();
          // No "running TensorFlow.js in Node.js" banner (see select.ts).
          (backend as unknown as { firstUse: boolean }).firstUse = false;
          return backend;
        },
        -1,
      );
      for (const name of stockNames) {
        const config = tf.getKernel(name, 'cpu');
        if (config === undefined) continue;
        tf.registerKernel({ ...config, backendName: STOCK_CPU });
        copied.push(name);
      }
      await tf.setBackend(STOCK_CPU);
      const start = tf.memory().numTensors;
      let losses: number[] = [];
      const profile = await tf.profile(() => {
        losses = trainTinyModels(expected.initial).losses;
      });
      expect(tf.memory().numTensors).toBe(start);
      const ran = new Set(profile.kernels.map((k) => k.name));
      // Names ending in __op are op scopes (tf.customGrad), not kernels.
      const notStock = [...ran].filter((name) => !name.endsWith('__op') && !stockNames.has(name));
      expect(notStock).toEqual([]);
      expect(ran.has('BatchMatMul') && ran.has('Conv2D')).toBe(true);
      expect(losses).toHaveLength(2);
      for (let i = 0; i < 2; i++) expect(losses[i]).toBeCloseTo(expected.losses[i]!, 5);
    } finally {
      for (const name of copied) tf.unregisterKernel(name, STOCK_CPU);
      tf.removeBackend(STOCK_CPU);
      await initBackend(original as BackendName);
    }
  });
});
