/**
 * Test-only readers of the shared real-model fixtures (never copied into the repo), for the
 * codec and shape tests that run on real Keras / TF.js files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HAVE_REAL_MODELS, REAL_MODELS_DIR, realModel } from './files/test-paths.test-suite.js';
import type { JsonObject } from './ir.js';

/** The fixture folder and whether it is present (tests skip visibly when it is not). */
export { HAVE_REAL_MODELS as haveFixtures, REAL_MODELS_DIR as fixtures };

/** A JSON fixture file, parsed. */
export function readJson(name: string): JsonObject {
  return JSON.parse(readFileSync(realModel(name), 'utf8')) as JsonObject;
}

/** `config.json` from inside the `.keras` zip (read with the system `unzip`, test-only). */
export function readKerasZipConfig(name: string): JsonObject {
  return JSON.parse(execFileSync('unzip', ['-p', realModel(name), 'config.json'], { encoding: 'utf8' })) as JsonObject;
}
