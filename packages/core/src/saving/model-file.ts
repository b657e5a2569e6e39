/**
 * `saveModel` / `loadModel`: Keras 3 `.keras` archives, and loading of Keras 2 `.h5`
 * and TF.js `model.json` + `.bin` files, recognised by content.
 */
import { createRequire } from 'node:module';
import {
  encodeKeras3Config,
  KERAS_FORMAT_VERSION,
  readModelFile,
  writeKerasArchive,
  type JsonObject,
  type JsonValue,
} from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import type { Model } from '../engine/model.js';
import { assignWeights, kerasWeightEntries } from './assign-weights.js';
import { kerasWeightSlots } from './weight-slots.js';
import { ModelLoadError } from './class-lookup.js';
import { restoreCompile } from './compile-config.js';
import { modelFromIR } from './model-from-ir.js';
import { modelToIR } from './model-to-ir.js';

/** The version of `@strata/core`, written to `metadata.json` beside Keras's own keys. */
export const STRATA_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Keras's `date_saved` format, `%Y-%m-%d@%H:%M:%S` in local time. */
export function kerasDateSaved(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/**
 * `metadata.json` as Keras writes it (`keras_version`, `date_saved`); `keras_version` is the
 * Keras 3 release whose file layout Strata follows, and `strata_version` (ignored by Keras) says who wrote it.
 */
export function kerasMetadata(now: Date = new Date()): JsonObject {
  return { keras_version: KERAS_FORMAT_VERSION, date_saved: kerasDateSaved(now), strata_version: STRATA_VERSION };
}

/** The Keras 3 `config.json` object of a model (with `compile_config` when compiled). */
export function kerasConfigOf(model: Functional): JsonObject {
  return encodeKeras3Config(modelToIR(model));
}

/**
 * Saves a model as a Keras 3 `.keras` archive (`config.json`, `metadata.json`,
 * `model.weights.h5` in Keras's group layout) that Keras's `load_model` reads.
 * The file is written to a temp file and renamed, so a failed save leaves no partial file.
 *
 * @throws Error when the path does not end with `.keras` (as Keras), or the model cannot be saved
 */
export async function saveModel(model: Functional, path: string): Promise<void> {
  if (!path.endsWith('.keras')) {
    throw new Error(
      `Invalid filepath extension for saving: "${path}". Strata saves the native Keras 3 format: use a path ending in ".keras" ` +
        `(legacy .h5 is read but not written; for weights only use saveModelWeights with ".weights.h5").`,
    );
  }
  const config = kerasConfigOf(model);
  const weights = await kerasWeightEntries(model);
  const groups = kerasWeightSlots(model).map((slot) => ({ path: slot.path, name: slot.layer.name }));
  await writeKerasArchive(path, { config, metadata: kerasMetadata(), weights, groups });
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Compile the model from its saved compile config when it has a training API (default true). */
  compile?: boolean;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * Loads a model with its weights from a Keras 3 `.keras` archive, a Keras 2 `.h5` file
 * or a TF.js `model.json` (+ `.bin` shards), recognising the format by content.
 * Only registered layer classes are built; nothing in the file is run as code.
 *
 * @throws ModelLoadError / ModelFileError naming the file, layer, class or shapes at fault
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  const file = await readModelFile(path);
  const model = modelFromIR(file.model, { compile: false });
  try {
    if (file.weights) {
      const entries = await file.weights();
      if (entries.length > 0 || model.weights.length > 0) assignWeights(model, entries, path);
    }
  } catch (cause) {
    model.dispose();
    throw cause;
  }
  if (options.compile !== false) {
    const compileConfig = file.model.compileConfig ?? asObject(file.metadata?.['training_config']);
    restoreCompile(model, compileConfig);
  }
  return model;
}

export { ModelLoadError };
