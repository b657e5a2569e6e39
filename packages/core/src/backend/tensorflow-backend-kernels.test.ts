/**
 * On the native `tensorflow` backend (@tensorflow/tfjs-node), training runs TF's native kernels
 * only: no kernel of Strata's (StrataLSTMGates, …) may run there, or it would shadow a faster
 * native one. A child process forced to STRATA_BACKEND=tensorflow trains a tiny LSTM and a tiny
 * conv model under tf.profile and reports every kernel that ran. Where the addon cannot load (as
 * on machines without libtensorflow) that test is skipped, saying so; the same child runs here on
 * wasm, where Strata's kernels must show up, so the script and its check are exercised everywhere.
 * The registry-level checks are in custom-kernels-scope.test.ts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const CHILD_TIMEOUT_MS = 240_000;

/** Why @tensorflow/tfjs-node (or -gpu) cannot load here, or null when one loads (checked in a child). */
function nativeAddonProblem(): string | null {
  const probe = `
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/packages/core/package.json');
const problems = [];
for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
  try { await import(require.resolve(name)); process.exit(0); }
  catch (error) { problems.push(name + ': ' + String(error?.message ?? error).split('\\n')[0]); }
}
console.log(problems.join('; '));
process.exit(1);
`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return run.status === 0 ? null : (run.stdout.trim() || run.stderr.trim().split('\n')[0] || 'unknown').slice(0, 300);
}

// Trains a tiny LSTM and a tiny conv model on the backend STRATA_BACKEND forces; prints the
// backend, every kernel that ran, and those the backend has no registered kernel for.
const TRAIN_SCRIPT = `
const core = await import('./packages/core/src/index.ts');
const { tf, layers, Input, Sequential } = core;
const backend = await core.initBackend();
const lstm = new Sequential([Input([5, 3]), new layers.LSTM(4), new layers.Dense(1)]);
lstm.compile({ optimizer: 'adam', loss: 'mse' });
const conv = new Sequential([Input([6, 6, 2]), new layers.Conv2D(3, [3, 3], { activation: 'relu' }),
  new layers.MaxPooling2D([2, 2]), new layers.Flatten(), new layers.Dense(2, { activation: 'softmax' })]);
conv.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
const profile = await tf.profile(() => {
  lstm.trainOnBatch(tf.randomNormal([4, 5, 3]), tf.randomNormal([4, 1]));
  conv.trainOnBatch(tf.randomNormal([4, 6, 6, 2]), tf.oneHot([0, 1, 1, 0], 2));
});
const names = [...new Set(profile.kernels.map((k) => k.name))].filter((n) => !n.endsWith('__op'));
const unregistered = names.filter((n) => tf.getKernel(n, backend) === undefined);
console.log(JSON.stringify({ backend, kernels: names, unregistered }));
`;

interface Report {
  backend: string;
  kernels: string[];
  unregistered: string[];
}

function trainOn(backend: string): Promise<Report> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--conditions=strata-source', '--import', 'tsx', '--input-type=module', '-e', TRAIN_SCRIPT],
      {
        cwd: repoRoot,
        env: { ...process.env, STRATA_BACKEND: backend },
        timeout: CHILD_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        if (error !== null || !last.startsWith('{')) fail(new Error(`child on ${backend} failed: ${stderr}${stdout}`));
        else done(JSON.parse(last) as Report);
      },
    );
  });
}

const problem = nativeAddonProblem();
if (problem !== null) {
  console.warn(`tensorflow-backend-kernels.test.ts: @tensorflow/tfjs-node cannot load on this machine (${problem})`);
}

describe('training on the tensorflow (tfjs-node) backend', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  it.skipIf(problem !== null)(
    `runs native kernels only, none of Strata's${problem === null ? '' : ' — skipped: @tensorflow/tfjs-node cannot load on this machine'}`,
    async () => {
      const report = await trainOn('tensorflow');
      expect(report.backend).toBe('tensorflow');
      expect(report.kernels.filter((name) => name.startsWith('Strata'))).toEqual([]);
      expect(report.unregistered).toEqual([]);
      expect(report.kernels).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter']));
    },
  );

  it("the same check sees Strata's kernels where they belong (wasm), so it can fail", async () => {
    const report = await trainOn('wasm');
    expect(report.backend).toBe('wasm');
    expect(report.kernels.filter((name) => name.startsWith('Strata')).length).toBeGreaterThan(0);
    // The relu convolution runs as Strata's fused kernel here (its gradient still on the stock one).
    expect(report.kernels).toEqual(expect.arrayContaining(['StrataConv2DBiasRelu', 'Conv2DBackpropFilter']));
    expect(report.unregistered).toEqual([]);
  });
});
