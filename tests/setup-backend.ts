// Chooses the backend (tensorflow → wasm → cpu, or STRATA_BACKEND) before each runtime test file.
// Test files share their worker's modules, so a file that switched backends (to check both) must
// not leave the next file on another one: each file starts on the backend chosen first.
import { backendName, initBackend, type BackendName } from '@strata/core';

const holder = globalThis as { strataTestBackend?: BackendName };
const chosen = (holder.strataTestBackend ??= await initBackend());
// Both the selected backend and initBackend()'s remembered choice (a test may have switched either).
if (backendName() !== chosen || (await initBackend()) !== chosen) await initBackend(chosen);
