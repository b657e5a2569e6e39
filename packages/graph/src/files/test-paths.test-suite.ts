/**
 * Test helpers: where the shared real-model fixtures are (never copied into the repo).
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (…/packages/graph/src/files → four levels up). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The shared real-model fixture folder, resolved from the repo root. */
export const REAL_MODELS_DIR = resolve(REPO_ROOT, '../shared/fixtures/real-models');

/** True when the real-model fixtures are present (they are absent in a fresh clone). */
export const HAVE_REAL_MODELS = existsSync(REAL_MODELS_DIR);

/** Path of one real-model fixture. */
export function realModel(name: string): string {
  return resolve(REAL_MODELS_DIR, name);
}
