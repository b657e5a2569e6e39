// Chooses the backend (tensorflow → wasm → cpu, or STRATA_BACKEND) before each runtime test file is collected.
import { initBackend } from '@strata/core';

await initBackend();
