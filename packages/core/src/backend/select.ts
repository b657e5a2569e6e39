/**
 * Backend choice: `@tensorflow/tfjs-node` when its native library loads, else the
 * WASM backend, else the plain CPU backend. `STRATA_BACKEND=tensorflow|wasm|cpu`
 * forces one and fails clearly when it cannot load.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerAllGradients } from './gradients.js';
import { registerNaNPropagation } from './nan-propagation.js';
import { registerWasmSpeedFixes, registerWasmTrainingKernels } from './wasm-kernels/index.js';

/** The backends Strata can run on, in order of preference. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;

/** A Strata backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Thrown when a requested backend cannot be loaded. */
export class BackendError extends Error {
  override name = 'BackendError';
}

let initialized: Promise<BackendName> | undefined;

async function tryLoad(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // The native addon is optional: its install step downloads libtensorflow,
      // which fails on machines without access to that host.
      await import('@tensorflow/tfjs-node' as string);
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
      registerWasmSpeedFixes();
      registerNaNPropagation('wasm');
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
      registerNaNPropagation('cpu');
    }
    const ok = await tf.setBackend(name);
    return ok ? null : `tf.setBackend('${name}') returned false`;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error);
  }
}

async function choose(forced: string | undefined): Promise<BackendName> {
  if (forced !== undefined && forced !== '') {
    if (!(BACKEND_NAMES as readonly string[]).includes(forced)) {
      throw new BackendError(
        `STRATA_BACKEND="${forced}" is not a backend; valid choices: ${BACKEND_NAMES.join(', ')}`,
      );
    }
    const problem = await tryLoad(forced as BackendName);
    if (problem !== null) {
      throw new BackendError(`STRATA_BACKEND="${forced}" could not be loaded: ${problem}`);
    }
    return forced as BackendName;
  }
  const problems: string[] = [];
  for (const name of BACKEND_NAMES) {
    const problem = await tryLoad(name);
    if (problem === null) return name;
    problems.push(`${name}: ${problem}`);
  }
  throw new BackendError(`no TensorFlow.js backend could be loaded:\n  ${problems.join('\n  ')}`);
}

/**
 * Loads and selects the backend (once per process) and returns its name.
 * Honors `STRATA_BACKEND`; call it before building models.
 */
export function initBackend(): Promise<BackendName> {
  initialized ??= registerAllGradients().then(() => choose(process.env['STRATA_BACKEND']));
  return initialized;
}

/** The name of the backend in use, e.g. `"wasm"`. */
export function backendName(): string {
  return tf.getBackend();
}
