/**
 * Acceptance (issue 2): backend selection. `STRATA_BACKEND=cpu|wasm` forces the backend (and it
 * trains), an unknown name fails listing the valid choices, and `tensorflow` fails clearly where
 * the native addon is absent; unset, the order is tensorflow → wasm → cpu. Each case runs in a
 * fresh Node process started from the repo root, as a user would run a script.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// Prints the chosen backend and the loss of one training step; reports a failure as one line.
const script = `
const core = await import('./packages/core/src/index.ts');
try {
  const chosen = await core.initBackend();
  const model = new core.Sequential([core.Input([2]), new core.layers.Dense(1, { kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const loss = model.trainOnBatch([[1, 2], [3, 4]], [[1], [2]]);
  console.log(JSON.stringify({ chosen, backendName: core.backendName(), loss }));
} catch (error) {
  console.log(JSON.stringify({ errorName: error.name, message: error.message }));
  process.exitCode = 3;
}
`;

interface ChildResult {
  code: number;
  out: { chosen?: string; backendName?: string; loss?: number; errorName?: string; message?: string };
  stderr: string;
}

function runWith(backend: string | undefined): Promise<ChildResult> {
  const env = { ...process.env };
  delete env['STRATA_BACKEND'];
  if (backend !== undefined) env['STRATA_BACKEND'] = backend;
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--conditions=strata-source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        let out: ChildResult['out'] = {};
        try {
          out = JSON.parse(last) as ChildResult['out'];
        } catch {
          out = { message: `unparsable output: ${stdout} ${stderr}` };
        }
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out, stderr });
      },
    );
  });
}

describe('STRATA_BACKEND', () => {
  // Started together: each child mostly waits on module loading.
  const results = Promise.all([runWith('cpu'), runWith('wasm'), runWith('bogus'), runWith('tensorflow'), runWith(undefined)]);

  it('=cpu forces the CPU backend, and a training step runs on it', async () => {
    const [cpu] = await results;
    expect(cpu.out).toMatchObject({ chosen: 'cpu', backendName: 'cpu' });
    // Dense with kernel 1, bias 0: predictions 3 and 7, targets 1 and 2 → mse = (4 + 25) / 2.
    expect(cpu.out.loss).toBeCloseTo(14.5, 5);
    expect(cpu.code).toBe(0);
  });

  it('=wasm forces the WASM backend, and a training step runs on it', async () => {
    const [, wasm] = await results;
    expect(wasm.out).toMatchObject({ chosen: 'wasm', backendName: 'wasm' });
    expect(wasm.out.loss).toBeCloseTo(14.5, 5);
    expect(wasm.code).toBe(0);
  });

  it('=bogus fails with a BackendError naming the value and listing the valid choices', async () => {
    const [, , bogus] = await results;
    expect(bogus.code).toBe(3);
    expect(bogus.out.errorName).toBe('BackendError');
    expect(bogus.out.message).toContain('"bogus"');
    for (const name of ['tensorflow', 'wasm', 'cpu']) expect(bogus.out.message).toContain(name);
  });

  it('=tensorflow fails clearly when the native addon is absent, naming the backend and the missing addon', async () => {
    const [, , , tensorflow] = await results;
    if (tensorflow.code === 0) {
      // A machine where tfjs-node's native library is installed: then it must really be used.
      expect(tensorflow.out).toMatchObject({ chosen: 'tensorflow', backendName: 'tensorflow' });
      return;
    }
    expect(tensorflow.code).toBe(3);
    expect(tensorflow.out.errorName).toBe('BackendError');
    expect(tensorflow.out.message).toContain('STRATA_BACKEND="tensorflow"');
    expect(tensorflow.out.message).toMatch(/could not be loaded/);
    expect(tensorflow.out.message).toMatch(/tfjs_binding\.node|native/);
  });

  it('unset: tensorflow when it loads, else wasm (order tensorflow → wasm → cpu)', async () => {
    const [, , , tensorflow, unset] = await results;
    expect(unset.code).toBe(0);
    expect(unset.out.chosen).toBe(tensorflow.code === 0 ? 'tensorflow' : 'wasm');
    expect(unset.out.backendName).toBe(unset.out.chosen);
  });
});
