/**
 * `STRATA_THREADS` / `STRATA_THREADS_TIMEOUT_MS` parsing: defaults, caps, and errors that name the
 * variable, the value and the valid choices. Threads starting for real is checked in fresh
 * processes by tests/acceptance/threads.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../backend-error.js';
import { backendName, selectBackend } from '../select.js';
import {
  DEFAULT_THREADS_TIMEOUT_MS,
  MAX_WASM_THREADS,
  parseThreadsSetting,
  parseThreadsTimeout,
} from './threads-setting.js';

describe('parseThreadsSetting', () => {
  it('defaults to every core when unset or empty, at most the build limit', () => {
    expect(parseThreadsSetting(undefined, 4)).toBe(4);
    expect(parseThreadsSetting('', 2)).toBe(2);
    expect(parseThreadsSetting('  ', 1)).toBe(1);
    expect(parseThreadsSetting(undefined, 64)).toBe(MAX_WASM_THREADS);
  });

  it('takes an integer ≥ 1, capped at the build limit', () => {
    expect(parseThreadsSetting('1', 4)).toBe(1);
    expect(parseThreadsSetting('3', 2)).toBe(3);
    expect(parseThreadsSetting(' 2 ', 8)).toBe(2);
    expect(parseThreadsSetting('100', 2)).toBe(MAX_WASM_THREADS);
  });

  for (const bad of ['0', '-2', '1.5', 'two', 'all', '2x', '1e1']) {
    it(`refuses "${bad}", naming the variable, the value and the valid choices`, () => {
      expect(() => parseThreadsSetting(bad, 2)).toThrow(BackendError);
      expect(() => parseThreadsSetting(bad, 2)).toThrow(
        `STRATA_THREADS="${bad}" is not valid; valid choices: an integer ≥ 1 (1 = one thread; more than 8 runs 8), or unset for every core (2 here)`,
      );
    });
  }
});

describe('parseThreadsTimeout', () => {
  it('defaults when unset and takes whole milliseconds', () => {
    expect(parseThreadsTimeout(undefined)).toBe(DEFAULT_THREADS_TIMEOUT_MS);
    expect(parseThreadsTimeout('250')).toBe(250);
  });

  it('refuses anything else, naming the variable and the value', () => {
    expect(() => parseThreadsTimeout('soon')).toThrow('STRATA_THREADS_TIMEOUT_MS="soon" is not valid; valid choices:');
  });
});

describe('selectBackend with an invalid STRATA_THREADS', () => {
  const saved = process.env['STRATA_THREADS'];
  afterEach(() => {
    if (saved === undefined) delete process.env['STRATA_THREADS'];
    else process.env['STRATA_THREADS'] = saved;
  });

  it('fails with the BackendError instead of falling back to another backend', async () => {
    const before = backendName();
    process.env['STRATA_THREADS'] = 'many';
    await expect(selectBackend(undefined)).rejects.toThrow('STRATA_THREADS="many" is not valid');
    await expect(selectBackend('cpu')).rejects.toBeInstanceOf(BackendError);
    expect(backendName()).toBe(before);
  });
});
