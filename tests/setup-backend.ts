// Chooses the backend (tensorflow → wasm → cpu, or STRATA_BACKEND) before each runtime test file.
import { beforeAll } from 'vitest';
import { initBackend } from '@strata/core';

beforeAll(async () => {
  await initBackend();
});
