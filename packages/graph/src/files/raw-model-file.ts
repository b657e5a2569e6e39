/**
 * Reads a model file's container and config JSON without decoding the model:
 * recognises zip / HDF5 / JSON by content and pulls out config, metadata and a
 * lazy weights reader.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFileError, causeSummary } from './errors.js';
import { readHdf5Weights, detectWeightLayout } from './hdf5-weights.js';
import { readStringAttribute, withHdf5Bytes } from './hdf5.js';
import { checkConfigSize, resolveLimits, type LoadLimits } from './limits.js';
import { readRegularFile } from './safe-read.js';
import { sniffContainer } from './sniff.js';
import { readTfjsWeights } from './tfjs-weights.js';
import type { ReadWeightsOptions, WeightEntry } from './types.js';
import { readKerasAssets } from './keras-assets.js';
import { openZipArchive } from './zip.js';

/** The container a model file was found to be. */
export type RawContainer = 'keras-zip' | 'keras-h5' | 'json';

/** A model file's config and side data, before decoding. */
export interface RawModelFile {
  /** The path read. */
  path: string;
  /** The container found from the content. */
  container: RawContainer;
  /** The model config JSON (for JSON files: the whole document). */
  config: JsonObject;
  /** `metadata.json`, or the legacy root attributes (`keras_version`, `backend`, `training_config`). */
  metadata?: JsonObject;
  /** Lazy weights reader, when the file (or a sibling weights file) has weights. */
  weights?: (options?: ReadWeightsOptions) => Promise<WeightEntry[]>;
  /** Why a file whose format carries weights has none (see `ModelFile.missingWeights`). */
  missingWeights?: string;
  /** Reads a `.keras` archive's `assets/` files, by path inside `assets/` (see `ModelFile.assets`). */
  assets?: (wanted?: (path: string) => boolean) => Map<string, Uint8Array>;
}

/** Options for reading a model file. */
export interface ReadModelFileOptions {
  /**
   * A separate weights file for a JSON config (e.g. hls4ml's `X.json` + `X_weights.h5`).
   * When absent, a sibling `<stem>_weights.h5`, `<stem>.weights.h5` or `<stem>.h5` is used if it exists.
   */
  weightsPath?: string;
  /**
   * Size limits for this file and its weights (defaults: {@link DEFAULT_LOAD_LIMITS}).
   * Raise them for trusted models larger than 4 GiB in total or 2 GiB in one array.
   */
  limits?: Partial<LoadLimits>;
}

/**
 * Reads a whole regular file (devices, FIFOs and directories are refused, and files
 * larger than `limits.maxMemberBytes`), turning OS errors into a message naming the file.
 */
export async function readFileBytes(path: string, limits?: Partial<LoadLimits>): Promise<Uint8Array> {
  return readRegularFile(path, path, '', resolveLimits(limits).maxMemberBytes);
}

/** Parses JSON text, with an error naming the file (and `what` inside it). */
export function parseJsonObject(text: string, file: string, what = 'the file'): JsonObject {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new ModelFileError(file, `${what} is not valid JSON (${causeSummary(cause)}); is it truncated?`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFileError(file, `${what} is JSON but not an object`);
  }
  return value;
}

/**
 * Reads a model file's container and config.
 *
 * @throws ModelFileError for missing, empty, truncated, corrupt or non-model files
 */
export async function readRawModelFile(path: string, options: ReadModelFileOptions = {}): Promise<RawModelFile> {
  const bytes = await readFileBytes(path, options.limits);
  const kind = sniffContainer(bytes);
  switch (kind) {
    case 'empty':
      throw new ModelFileError(path, 'is empty');
    case 'zip':
      return readKerasZip(path, bytes, options.limits);
    case 'hdf5':
      return readKerasH5(path, bytes, options.limits);
    case 'json':
      checkConfigSize(bytes.length, resolveLimits(options.limits), path, 'the file');
      return readJsonModel(path, new TextDecoder().decode(bytes), options);
    default: {
      const head = Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new ModelFileError(
        path,
        `is not a model file: expected a .keras zip archive, an HDF5 (.h5) file or JSON, but it starts with bytes ${head}`,
      );
    }
  }
}

/** Weight-reading options, with the file's own limits as the default. */
function withFileLimits(
  options: ReadWeightsOptions | undefined,
  limits: Partial<LoadLimits> | undefined,
): ReadWeightsOptions {
  return { ...options, limits: { ...limits, ...options?.limits } };
}

function readKerasZip(path: string, bytes: Uint8Array, limits: Partial<LoadLimits> | undefined): RawModelFile {
  // Only config.json and metadata.json are inflated here; model.weights.h5 waits for weights().
  const archive = openZipArchive(bytes, path, limits);
  if (!archive.members.has('config.json')) {
    const names = [...archive.members.keys()].slice(0, 5).join(', ') || 'none';
    throw new ModelFileError(
      path,
      `is a zip archive without config.json, so not a Keras .keras file (members: ${names})`,
    );
  }
  const resolved = resolveLimits(limits);
  const json = (member: string): JsonObject => {
    checkConfigSize(archive.members.get(member)!.size, resolved, path, member);
    return parseJsonObject(new TextDecoder().decode(archive.read(member)), path, member);
  };
  const config = json('config.json');
  const metadata = archive.members.has('metadata.json') ? json('metadata.json') : undefined;
  const raw: RawModelFile = { path, container: 'keras-zip', config };
  if (metadata) raw.metadata = metadata;
  if ([...archive.members.keys()].some((name) => name.startsWith('assets/')))
    raw.assets = (wanted) => readKerasAssets(archive, path, resolved, wanted);
  if (archive.members.has('model.weights.h5')) {
    const display = `${path} (model.weights.h5)`;
    const fileBytes = archive.members.get('model.weights.h5')!.size;
    raw.weights = (options) =>
      withHdf5Bytes(archive.read('model.weights.h5'), display, (file) =>
        readHdf5Weights(file, display, { ...withFileLimits(options, limits), modelConfig: config, fileBytes }),
      );
  } else if (archive.members.has('model.weights.npz')) {
    raw.weights = () =>
      Promise.reject(new ModelFileError(path, 'stores its weights as model.weights.npz, which Strata cannot read yet'));
  } else {
    raw.missingWeights = 'is a .keras archive without model.weights.h5, so it holds no weights';
  }
  return raw;
}

async function readKerasH5(
  path: string,
  bytes: Uint8Array,
  limits: Partial<LoadLimits> | undefined,
): Promise<RawModelFile> {
  return withHdf5Bytes(bytes, path, (file) => {
    const modelConfigText = readStringAttribute(file, 'model_config');
    if (modelConfigText === undefined) {
      const layout = detectWeightLayout(file);
      const what =
        layout === 'none' ? 'has no model_config attribute' : 'holds only weights (no model_config attribute)';
      throw new ModelFileError(
        path,
        `${what}; lint the model's config (.json/.keras) instead and pass this file as its weights`,
      );
    }
    checkConfigSize(modelConfigText.length, resolveLimits(limits), path, 'the model_config attribute');
    const config = parseJsonObject(modelConfigText, path, 'the model_config attribute');
    const metadata: JsonObject = {};
    for (const key of ['keras_version', 'backend']) {
      const value = readStringAttribute(file, key);
      if (value !== undefined) metadata[key] = value;
    }
    const trainingConfig = readStringAttribute(file, 'training_config');
    if (trainingConfig !== undefined)
      metadata['training_config'] = parseJsonObject(trainingConfig, path, 'the training_config attribute');
    const hasWeights = detectWeightLayout(file) !== 'none';
    const raw: RawModelFile = { path, container: 'keras-h5', config, metadata };
    if (hasWeights) {
      raw.weights = (options) =>
        withHdf5Bytes(bytes, path, (reopened) =>
          readHdf5Weights(reopened, path, {
            ...withFileLimits(options, limits),
            modelConfig: config,
            fileBytes: bytes.length,
          }),
        );
    } else {
      raw.missingWeights = 'has a model_config but no model_weights group, so it holds no weights';
    }
    return raw;
  });
}

function siblingWeightsFile(path: string): string | undefined {
  const stem = basename(path, extname(path));
  const candidates = [`${stem}_weights.h5`, `${stem}.weights.h5`, `${stem}.h5`].map((name) =>
    join(dirname(path), name),
  );
  return candidates.find((candidate) => existsSync(candidate));
}

function readJsonModel(path: string, text: string, options: ReadModelFileOptions): RawModelFile {
  const config = parseJsonObject(text, path);
  const raw: RawModelFile = { path, container: 'json', config };
  if (Object.hasOwn(config, 'modelTopology') || Object.hasOwn(config, 'weightsManifest')) {
    // A TF.js model.json: its weights are the manifest's shards, nothing else.
    const manifest = config['weightsManifest'];
    if (Array.isArray(manifest) && manifest.length > 0) {
      raw.weights = (weightOptions) => readTfjsWeights(config, path, withFileLimits(weightOptions, options.limits));
    } else {
      const what = Array.isArray(manifest) ? 'empty' : manifest === undefined ? 'missing' : 'not a list';
      raw.missingWeights = `is a TF.js model.json whose weightsManifest is ${what}, so it names no weights`;
    }
    return raw;
  }
  const weightsPath = options.weightsPath ?? siblingWeightsFile(path);
  if (weightsPath)
    raw.weights = (weightOptions) =>
      readWeightsFile(weightsPath, config, withFileLimits(weightOptions, options.limits));
  return raw;
}

/**
 * Reads a weights-only HDF5 file (Keras 3 `.weights.h5` or a legacy `save_weights` file).
 *
 * @param modelConfig - the model config, to name layers in Keras 3 files
 * @param options - size limits, and a `check` of the declared weights before any value is read
 */
export async function readWeightsFile(
  path: string,
  modelConfig?: JsonObject,
  options: ReadWeightsOptions = {},
): Promise<WeightEntry[]> {
  const bytes = await readFileBytes(path, options.limits);
  if (sniffContainer(bytes) !== 'hdf5') throw new ModelFileError(path, 'is not an HDF5 weights file');
  return withHdf5Bytes(bytes, path, (file) =>
    readHdf5Weights(file, path, {
      ...options,
      fileBytes: bytes.length,
      ...(modelConfig === undefined ? {} : { modelConfig }),
    }),
  );
}
