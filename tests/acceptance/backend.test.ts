/**
 * Acceptance (issues 2 and 11): the backend a user gets, checked as a user runs a script — in a
 * fresh Node process started from the repo root. Unset, the order is tensorflow → wasm → cpu; an
 * uncaught error looks as Node prints it (message and stack, exit code 1), not buried under the
 * WASM runtime's minified glue. Forcing each backend by name is tested in-process beside
 * `selectBackend` (packages/core/src/backend/select.test.ts). The children run one after the other
 * with generous time, so a slow or busy machine cannot fail them.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD_TIMEOUT_MS = 240_000;

// Prints the chosen backend and the loss of one training step, never calling initBackend():
// importing the runtime chooses the backend.
const trainScript = `
const core = await import('./packages/core/src/index.ts');
const chosen = core.backendName();
const model = new core.Sequential([core.Input([2]), new core.layers.Dense(1, { kernelInitializer: 'ones' })]);
model.compile({ optimizer: 'sgd', loss: 'mse' });
const loss = model.trainOnBatch([[1, 2], [3, 4]], [[1], [2]]);
console.log(JSON.stringify({ chosen, backendName: core.backendName(), loss }));
`;

// A user's script that fails after the backend has started.
const throwScript = `
const core = await import('./packages/core/src/index.ts');
await core.initBackend();
throw new Error('boom from user code');
`;

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runNode(script: string): Promise<ChildResult> {
  const env = { ...process.env };
  delete env['STRATA_BACKEND'];
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--conditions=strata-source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, env, timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
  });
}

describe('a script run as a user runs it', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  it('with STRATA_BACKEND unset and no initBackend() call gets tensorflow when it loads, else wasm, and trains on it', async () => {
    const child = await runNode(trainScript);
    expect(child.stderr.slice(0, 2000)).not.toMatch(/Error/);
    expect(child.code).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      chosen?: string;
      backendName?: string;
      loss?: number;
    };
    // Never cpu while wasm loads; tensorflow only where tfjs-node's native library is installed.
    expect(['tensorflow', 'wasm']).toContain(out.chosen);
    expect(out.backendName).toBe(out.chosen);
    // Dense with kernel 1, bias 0: predictions 3 and 7, targets 1 and 2 → mse = (4 + 25) / 2.
    expect(out.loss).toBeCloseTo(14.5, 5);
  });

  it('sees an uncaught error printed as Node prints it: the message and stack, exit code 1', async () => {
    const child = await runNode(throwScript);
    expect(child.code).toBe(1);
    expect(child.stderr).toContain('Error: boom from user code');
    // Node prints the throwing source line first; it must be the user's, not WASM glue.
    expect(child.stderr).not.toContain('tfjs-backend-wasm');
    expect(child.stderr.length).toBeLessThan(2000);
  });
});
