/**
 * Backend choice in-process: `selectBackend` forces each backend by name (and a training step
 * runs on it), an unknown name lists the valid choices, and `tensorflow` fails clearly where the
 * native addon is absent. The user-facing default (a fresh process with STRATA_BACKEND unset)
 * is checked in tests/acceptance/backend.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Input, Sequential, layers } from '../index.js';
import { BackendError, backendName, initBackend, selectBackend } from './select.js';

/** One SGD step on a Dense(1) with kernel 1, bias 0: predictions 3 and 7, targets 1 and 2 → mse (4 + 25) / 2. */
function oneTrainingStepLoss(): number {
  const model = new Sequential([Input([2]), new layers.Dense(1, { kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const loss = model.trainOnBatch(
    [
      [1, 2],
      [3, 4],
    ],
    [[1], [2]],
  );
  return typeof loss === 'number' ? loss : Number.NaN;
}

describe('the cpu backend', () => {
  it('does not print TF.js\'s "running TensorFlow.js in Node.js" banner', async () => {
    const original = backendName();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      await selectBackend('cpu');
      tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
    } finally {
      console.warn = warn;
      await selectBackend(original);
    }
    expect(warnings.filter((line) => line.includes('TensorFlow.js in Node.js'))).toEqual([]);
  });
});

describe('selectBackend', () => {
  const original = backendName();
  afterAll(async () => {
    await selectBackend(original);
  });

  for (const name of ['cpu', 'wasm'] as const) {
    it(`"${name}" selects the ${name} backend, and a training step runs on it`, async () => {
      await expect(selectBackend(name)).resolves.toBe(name);
      expect(backendName()).toBe(name);
      expect(oneTrainingStepLoss()).toBeCloseTo(14.5, 5);
    });
  }

  it('an unknown name fails with a BackendError naming the value and listing the valid choices', async () => {
    const failure = selectBackend('bogus');
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toThrow(
      /STRATA_BACKEND="bogus" is not a backend; valid choices: tensorflow, wasm, cpu/,
    );
  });

  it('"tensorflow" either really runs on the native addon or fails naming the backend and the missing addon', async () => {
    let chosen: string | undefined;
    let failure: unknown;
    try {
      chosen = await selectBackend('tensorflow');
    } catch (error) {
      failure = error;
    }
    if (chosen !== undefined) {
      console.warn('tfjs-node loaded on this machine: checking that it is really used');
      expect(tf.getBackend()).toBe('tensorflow');
      return;
    }
    expect(failure).toBeInstanceOf(BackendError);
    expect(String((failure as Error).message)).toMatch(
      /STRATA_BACKEND="tensorflow" could not be loaded: .*(tfjs_binding\.node|native)/,
    );
    // Both native addons were tried, the CUDA one first.
    expect(String((failure as Error).message)).toMatch(/@tensorflow\/tfjs-node-gpu: .*; @tensorflow\/tfjs-node: /);
  });
});

describe('initBackend', () => {
  it('returns the backend chosen on import, switches when given a name, and names itself in errors', async () => {
    const original = backendName();
    await expect(initBackend()).resolves.toBe(original);
    await expect(initBackend('cpu')).resolves.toBe('cpu');
    expect(backendName()).toBe('cpu');
    await expect(initBackend('gpu' as 'cpu')).rejects.toThrow(
      'initBackend("gpu") is not a backend; valid choices: tensorflow, wasm, cpu',
    );
    await expect(initBackend(original as 'cpu')).resolves.toBe(original);
    expect(backendName()).toBe(original);
  });
});
