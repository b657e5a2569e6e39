/**
 * `saveModel` / `loadModel`: Keras 3 `.keras` archives, and loading of Keras 2 `.h5`
 * and TF.js `model.json` + `.bin` files, recognised by content.
 */
import { createRequire } from 'node:module';
import {
  encodeKeras3Config,
  DEFAULT_LOAD_LIMITS,
  KERAS_FORMAT_VERSION,
  ModelFileError,
  readModelFile,
  type LoadLimits,
  type WeightInfo,
  type ModelIR,
  writeKerasArchive,
  type JsonObject,
  type JsonValue,
} from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import type { Model } from '../engine/model.js';
import { withWeightBudget } from '../engine/weight-budget.js';
import { assignWeights, checkDeclaredWeights, kerasWeightEntries } from './assign-weights.js';
import { ModelLoadError } from './class-lookup.js';
import { assetFolders, inAssetFolder, modelAssets, restoreModelAssets } from './layer-assets.js';
import { restoreCompile } from './compile-config.js';
import { renameWeightEntries, sanitizeLegacyLayerNames } from './legacy-layer-names.js';
import { modelFromIR } from './model-from-ir.js';
import { modelToIR } from './model-to-ir.js';
import { kerasWeightObjects } from './weight-slots.js';
import { ConfigurationError } from '../utils/errors.js';

/** The version of `@strata/core`, written to `metadata.json` beside Keras's own keys. */
export const STRATA_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

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
 * Re-saving keeps the existing file's mode; a symlink at `path` is followed (the file it
 * points to is replaced, the link stays) and a symlink to nothing is refused (see
 * `writeFileAtomic` in @strata/graph).
 *
 * @throws Error when the path does not end with `.keras` (as Keras), or the model cannot be saved
 * @throws ModelFileError naming the path when it cannot be written (missing folder, a file in the way, permissions)
 *
 * @example
 * ```ts
 * await saveModel(model, 'model.keras'); // the same as await model.save('model.keras')
 * ```
 */
export async function saveModel(model: Functional, path: string): Promise<void> {
  if (!path.endsWith('.keras')) {
    throw new ConfigurationError(
      `Invalid filepath extension for saving: "${path}". Strata saves the native Keras 3 format: use a path ending in ".keras" ` +
        `(legacy .h5 is read but not written; for weights only use saveModelWeights with ".weights.h5").`,
    );
  }
  const config = kerasConfigOf(model);
  const weights = await kerasWeightEntries(model);
  const assets = modelAssets(model);
  await writeKerasArchive(path, {
    config,
    metadata: kerasMetadata(),
    weights,
    objects: kerasWeightObjects(model),
    ...(assets.size > 0 ? { assets } : {}),
  });
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Compile the model from its saved compile config when it has a training API (default true). */
  compile?: boolean;
  /**
   * Read the file's weights (default true). `false` builds the architecture only, with
   * fresh initial weights; a file that should carry weights but has none (a `.keras`
   * without `model.weights.h5`, a TF.js `model.json` without a weights manifest) is
   * refused unless this is `false`.
   */
  weights?: boolean;
  /**
   * Size limits for reading an untrusted file (defaults: 4 GiB in total, 2 GiB − 1 per
   * zip member or weight array); raise them to load larger trusted models.
   */
  limits?: Partial<LoadLimits>;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * Builds the model a file describes, refusing weights over the limits before they are
 * allocated (a config alone can ask for gigabytes), with errors that name the file.
 */
function buildWithinLimits(
  ir: ModelIR,
  path: string,
  limits: LoadLimits,
  writerKerasVersion: string | undefined,
): Model {
  const refuse = (problem: string): Error => new ModelLoadError(`${path}: ${problem}`);
  return withWeightBudget({ maxTotalBytes: limits.maxTotalBytes, maxArrayBytes: limits.maxMemberBytes, refuse }, () => {
    try {
      return modelFromIR(ir, { compile: false, ...(writerKerasVersion === undefined ? {} : { writerKerasVersion }) });
    } catch (cause) {
      // The message already names layer and class; add the file.
      if (cause instanceof ModelLoadError && !cause.message.startsWith(`${path}: `))
        throw new ModelLoadError(`${path}: ${cause.message}`, { cause });
      throw cause;
    }
  });
}

/**
 * Loads a model with its weights from a Keras 3 `.keras` archive, a Keras 2 `.h5` file
 * or a TF.js `model.json` (+ `.bin` shards), recognising the format by content.
 * Only registered layer classes are built; nothing in the file is run as code.
 *
 * Files are untrusted input: sizes are checked against `options.limits` and declared
 * weight shapes against the model before anything is read (see the README's
 * "Loading untrusted files").
 *
 * @throws ModelLoadError / ModelFileError naming the file, layer, class or shapes at fault
 *
 * @example
 * ```ts
 * const model = await loadModel('model.keras'); // also a Keras 2 .h5 or a TF.js model.json
 * const big = await loadModel('big.keras', { limits: { maxTotalBytes: 16 * 2 ** 30 } }); // a trusted large file
 * ```
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  const file = await readModelFile(path, options.limits === undefined ? {} : { limits: options.limits });
  // Keras 2 / TF.js names with "/" are renamed (with a warning); the weights keep the old names.
  const { ir, renames } =
    file.model.module === undefined
      ? sanitizeLegacyLayerNames(file.model, path)
      : { ir: file.model, renames: new Map<string, string>() };
  const version = file.metadata?.['keras_version'];
  const model = buildWithinLimits(
    ir,
    path,
    { ...DEFAULT_LOAD_LIMITS, ...options.limits },
    typeof version === 'string' ? version : undefined,
  );
  try {
    if (options.weights !== false && file.weights) {
      // Shapes are compared with the model's layers before any array is read.
      const check = (declared: readonly WeightInfo[]): void =>
        checkDeclaredWeights(model, renameWeightEntries(declared, renames), path);
      const entries = renameWeightEntries(await file.weights({ check }), renames);
      if (entries.length > 0 || model.weights.length > 0) assignWeights(model, entries, path);
    } else if (options.weights !== false && file.missingWeights !== undefined && model.weights.length > 0) {
      // As Keras: a model file without its weights is refused, unless the caller asks for the architecture only.
      throw new ModelFileError(
        path,
        `${file.missingWeights}; pass { weights: false } to load the architecture with fresh initial weights`,
      );
    }
    // After the variables, as Keras's `_load_state` (a tf_idf lookup reads its weights first).
    // Only the asset folders of layers that read assets are inflated (other members stay untouched).
    const folders = file.assets ? assetFolders(model) : new Set<string>();
    if (file.assets && folders.size > 0)
      restoreModelAssets(
        model,
        file.assets((path) => inAssetFolder(path, folders)),
      );
  } catch (cause) {
    model.dispose();
    throw cause;
  }
  if (options.compile !== false) {
    const compileConfig = ir.compileConfig ?? asObject(file.metadata?.['training_config']);
    restoreCompile(model, compileConfig);
  }
  return model;
}

export { ModelLoadError };
