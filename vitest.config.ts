import { defineConfig } from 'vitest/config';

const resolve = { conditions: ['strata-source'] };
const shared = { pool: 'forks' as const, testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  resolve,
  ssr: { resolve },
  test: {
    projects: [
      {
        // Packages that must never load TensorFlow.js.
        resolve,
        ssr: { resolve },
        test: { ...shared, name: 'static', include: ['packages/{graph,lint,cli}/src/**/*.test.ts'] },
      },
      {
        // Runtime packages: the backend is chosen once per test file.
        resolve,
        ssr: { resolve },
        test: {
          ...shared,
          name: 'runtime',
          include: ['packages/{core,dropout}/src/**/*.test.ts', 'tests/**/*.test.ts', 'examples/**/*.test.ts', 'docs/**/*.test.ts'],
          setupFiles: ['tests/setup-backend.ts'],
        },
      },
    ],
  },
});
