import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const resolve = { conditions: ['strata-source'] };
// Two workers even on a 2-core machine (vitest's default would be one): the main process mostly waits.
const maxWorkers = Math.max(2, availableParallelism() - 1);
// Test files share their worker's modules (isolate: false): @strata/core and the WASM backend load
// once per worker instead of once per file, which cuts the suite from ~5.5 minutes to ~1.5 on two
// cores. Vitest reads this at the root; the isolated project below turns it back on for itself.
const sharedModules = { isolate: false, poolOptions: { forks: { isolate: false } } };
const isolatedModules = { isolate: true, poolOptions: { forks: { isolate: true } } };
const common = { pool: 'forks' as const, testTimeout: 120_000, hookTimeout: 120_000 };

// Tests that enumerate the global layer registry must not see classes that other test files'
// imports register (e.g. @strata/dropout's layers), so they run in a fresh module graph each.
const REGISTRY_WIDE = [
  'packages/core/src/layers/layer-facts-coverage.test.ts',
  'packages/core/src/layers/positional-args.test.ts',
  'tests/conformance/serialization/registered-layers.test.ts',
];
const RUNTIME = [
  'packages/{core,dropout}/src/**/*.test.ts',
  'tests/**/*.test.ts',
  'examples/**/*.test.ts',
  'docs/**/*.test.ts',
];

export default defineConfig({
  resolve,
  ssr: { resolve },
  test: {
    maxWorkers,
    minWorkers: 1,
    ...sharedModules,
    projects: [
      {
        // Packages that must never load TensorFlow.js.
        resolve,
        ssr: { resolve },
        test: { ...common, ...sharedModules, name: 'static', include: ['packages/{graph,lint,cli}/src/**/*.test.ts'] },
      },
      {
        // Runtime packages: the backend is chosen once per worker.
        resolve,
        ssr: { resolve },
        test: {
          ...common,
          ...sharedModules,
          name: 'runtime',
          include: RUNTIME,
          exclude: [...REGISTRY_WIDE, '**/node_modules/**'],
          setupFiles: ['tests/setup-backend.ts'],
        },
      },
      {
        resolve,
        ssr: { resolve },
        test: {
          ...common,
          ...isolatedModules,
          name: 'runtime-isolated',
          include: REGISTRY_WIDE,
          setupFiles: ['tests/setup-backend.ts'],
        },
      },
    ],
  },
});
