/**
 * Reads a model file's container and config JSON without decoding the model:
 * recognises zip / HDF5 / JSON by content and pulls out config, metadata and a
 * lazy weights reader.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFileError, causeSummary } from './errors.js';
import { readHdf5Weights, detectWeightLayout } from './hdf5-weights.js';
import { readStringAttribute, withHdf5Bytes, withHdf5File } from './hdf5.js';
import { sniffContainer } from './sniff.js';
import { hasTfjsWeights, readTfjsWeights } from './tfjs-weights.js';
import type { WeightEntry } from './types.js';
import { readZipMembers } from './zip.js';

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
  weights?: () => Promise<WeightEntry[]>;
}

/** Options for reading a model file. */
export interface ReadModelFileOptions {
  /**
   * A separate weights file for a JSON config (e.g. hls4ml's `X.json` + `X_weights.h5`).
   * When absent, a sibling `<stem>_weights.h5`, `<stem>.weights.h5` or `<stem>.h5` is used if it exists.
   */
  weightsPath?: string;
}

/** Reads a whole file, turning OS errors into a message naming the file. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(path, 'does not exist');
    if (code === 'EISDIR') throw new ModelFileError(path, 'is a directory, not a model file');
    if (code === 'EACCES') throw new ModelFileError(path, 'is not readable (permission denied)');
    throw new ModelFileError(path, `could not be read (${causeSummary(cause)})`);
  }
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
  const bytes = await readFileBytes(path);
  const kind = sniffContainer(bytes);
  switch (kind) {
    case 'empty':
      throw new ModelFileError(path, 'is empty');
    case 'zip':
      return readKerasZip(path, bytes);
    case 'hdf5':
      return readKerasH5(path);
    case 'json':
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

function readKerasZip(path: string, bytes: Uint8Array): RawModelFile {
  const members = readZipMembers(bytes, path);
  const configBytes = members.get('config.json');
  if (!configBytes) {
    const names = [...members.keys()].slice(0, 5).join(', ') || 'none';
    throw new ModelFileError(path, `is a zip archive without config.json, so not a Keras .keras file (members: ${names})`);
  }
  const config = parseJsonObject(new TextDecoder().decode(configBytes), path, 'config.json');
  const metadataBytes = members.get('metadata.json');
  const metadata = metadataBytes ? parseJsonObject(new TextDecoder().decode(metadataBytes), path, 'metadata.json') : undefined;
  const weightsBytes = members.get('model.weights.h5');
  const raw: RawModelFile = { path, container: 'keras-zip', config };
  if (metadata) raw.metadata = metadata;
  if (weightsBytes) {
    raw.weights = () => withHdf5Bytes(weightsBytes, `${path} (model.weights.h5)`, (file) => readHdf5Weights(file, config));
  } else if (members.has('model.weights.npz')) {
    raw.weights = () => Promise.reject(new ModelFileError(path, 'stores its weights as model.weights.npz, which Strata cannot read yet'));
  }
  return raw;
}

async function readKerasH5(path: string): Promise<RawModelFile> {
  return withHdf5File(path, path, (file) => {
    const modelConfigText = readStringAttribute(file, 'model_config');
    if (modelConfigText === undefined) {
      const layout = detectWeightLayout(file);
      const what = layout === 'none' ? 'has no model_config attribute' : 'holds only weights (no model_config attribute)';
      throw new ModelFileError(path, `${what}; lint the model's config (.json/.keras) instead and pass this file as its weights`);
    }
    const config = parseJsonObject(modelConfigText, path, 'the model_config attribute');
    const metadata: JsonObject = {};
    for (const key of ['keras_version', 'backend']) {
      const value = readStringAttribute(file, key);
      if (value !== undefined) metadata[key] = value;
    }
    const trainingConfig = readStringAttribute(file, 'training_config');
    if (trainingConfig !== undefined) metadata['training_config'] = parseJsonObject(trainingConfig, path, 'the training_config attribute');
    const hasWeights = detectWeightLayout(file) !== 'none';
    const raw: RawModelFile = { path, container: 'keras-h5', config, metadata };
    if (hasWeights) raw.weights = () => withHdf5File(path, path, (reopened) => readHdf5Weights(reopened, config));
    return raw;
  });
}

function siblingWeightsFile(path: string): string | undefined {
  const stem = basename(path, extname(path));
  const candidates = [`${stem}_weights.h5`, `${stem}.weights.h5`, `${stem}.h5`].map((name) => join(dirname(path), name));
  return candidates.find((candidate) => existsSync(candidate));
}

function readJsonModel(path: string, text: string, options: ReadModelFileOptions): RawModelFile {
  const config = parseJsonObject(text, path);
  const raw: RawModelFile = { path, container: 'json', config };
  if (hasTfjsWeights(config)) {
    raw.weights = () => readTfjsWeights(config, path);
    return raw;
  }
  const weightsPath = options.weightsPath ?? siblingWeightsFile(path);
  if (weightsPath) raw.weights = () => readWeightsFile(weightsPath, config);
  return raw;
}

/**
 * Reads a weights-only HDF5 file (Keras 3 `.weights.h5` or a legacy `save_weights` file).
 *
 * @param modelConfig - the model config, to name layers in Keras 3 files
 */
export async function readWeightsFile(path: string, modelConfig?: JsonObject): Promise<WeightEntry[]> {
  const bytes = await readFileBytes(path);
  if (sniffContainer(bytes) !== 'hdf5') throw new ModelFileError(path, 'is not an HDF5 weights file');
  return withHdf5File(path, path, (file) => readHdf5Weights(file, modelConfig));
}
