/**
 * `writeKerasArchive`: writes a Keras 3 compatible `.keras` zip.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Group } from 'h5wasm';
import type { JsonObject } from '../ir.js';
import { writeFileAtomic } from './atomic-write.js';
import { ModelFileError, causeSummary } from './errors.js';
import { loadH5wasm } from './hdf5.js';
import { kerasLayerGroups } from './keras-naming.js';
import type { WeightEntry } from './types.js';
import { writeZip } from './zip.js';

/**
 * The Keras version written to `metadata.json` when the caller gives none: the
 * release whose `.keras` layout (with `name` attributes on `vars` groups) we follow.
 */
export const KERAS_FORMAT_VERSION = '3.10.0';

/** What goes into a `.keras` archive. */
export interface KerasArchiveContents {
  /** The Keras 3 model config (`config.json`). */
  config: JsonObject;
  /** `metadata.json`; defaults to `{keras_version, date_saved}` like Keras writes. */
  metadata?: JsonObject;
  /**
   * Weights. An entry whose `path` is a Keras 3 dataset path (`…/vars/<i>`) is stored
   * there; otherwise it must name its `layerName`, and it is stored as the next
   * `vars/<i>` of that layer's group (see {@link kerasLayerGroups}).
   */
  weights: WeightEntry[];
  /**
   * `vars` groups to create even when they hold no dataset (Keras writes one for every
   * object, e.g. `layers/bidirectional/forward_layer`), with the object's name as attribute.
   */
  groups?: { path: string; name: string }[];
}

function kerasDateSaved(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/**
 * Writes a `.keras` archive with members `metadata.json`, `config.json` and
 * `model.weights.h5` (Keras 3 layout: `layers/<snake_case_class>/vars/<i>`, a
 * `vars` group with a `name` attribute for every layer and for the model).
 * The file is written to a temp file beside `path` and renamed into place.
 *
 * @throws ModelFileError when a weight cannot be placed or the file cannot be written
 */
export async function writeKerasArchive(path: string, contents: KerasArchiveContents): Promise<void> {
  const metadata = contents.metadata ?? { keras_version: KERAS_FORMAT_VERSION, date_saved: kerasDateSaved(new Date()) };
  const weightsBytes = await buildKerasWeightsH5(path, contents.config, contents.weights, contents.groups);
  const encoder = new TextEncoder();
  const zip = writeZip([
    ['metadata.json', encoder.encode(JSON.stringify(metadata)), false],
    ['config.json', encoder.encode(JSON.stringify(contents.config)), false],
    // Keras stores members uncompressed (zipfile's default ZIP_STORED).
    ['model.weights.h5', weightsBytes, true],
  ]);
  await writeFileAtomic(path, zip);
}

/**
 * Writes a Keras 3 `.weights.h5` file (`model.save_weights`): the same HDF5 layout as
 * `model.weights.h5` inside a `.keras` archive. Atomic: temp file, then rename.
 *
 * @throws ModelFileError when a weight cannot be placed or the file cannot be written
 */
export async function writeKerasWeightsFile(path: string, config: JsonObject, weights: WeightEntry[]): Promise<void> {
  await writeFileAtomic(path, await buildKerasWeightsH5(path, config, weights));
}

/** Places each weight at its Keras 3 dataset path. */
export function kerasWeightPaths(config: JsonObject, weights: WeightEntry[], file: string): string[] {
  const groupOfLayer = new Map(kerasLayerGroups(config).map((entry) => [entry.layerName, entry.group]));
  const nextIndex = new Map<string, number>();
  return weights.map((weight) => {
    if (/(^|\/)vars\/\d+$/.test(weight.path)) return weight.path;
    const group = weight.layerName === undefined ? undefined : groupOfLayer.get(weight.layerName);
    if (group === undefined) {
      throw new ModelFileError(file, `weight ${weight.path} names no layer of the config (layerName: ${weight.layerName ?? 'none'})`);
    }
    const index = nextIndex.get(group) ?? 0;
    nextIndex.set(group, index + 1);
    return `${group}/vars/${index}`;
  });
}

async function buildKerasWeightsH5(
  target: string,
  config: JsonObject,
  weights: WeightEntry[],
  groups: { path: string; name: string }[] = [],
): Promise<Uint8Array> {
  const paths = kerasWeightPaths(config, weights, target);
  const api = await loadH5wasm();
  const temp = join(tmpdir(), `strata-${randomBytes(8).toString('hex')}.weights.h5`);
  try {
    const file = new api.File(temp, 'w');
    try {
      const ensureGroup = (path: string): Group => {
        let group: Group = file;
        for (const part of path.split('/').filter((p) => p !== '')) {
          group = group.keys().includes(part) ? (group.get(part) as Group) : group.create_group(part);
        }
        return group;
      };
      const modelConfig = config['config'];
      const modelName = typeof modelConfig === 'object' && modelConfig !== null && !Array.isArray(modelConfig) ? modelConfig['name'] : undefined;
      ensureGroup('vars').create_attribute('name', typeof modelName === 'string' ? modelName : 'model');
      ensureGroup('layers');
      for (const entry of kerasLayerGroups(config)) ensureGroup(`${entry.group}/vars`).create_attribute('name', entry.layerName);
      for (const extra of groups) {
        const vars = ensureGroup(`${extra.path}/vars`);
        if (!Object.keys(vars.attrs).includes('name')) vars.create_attribute('name', extra.name);
      }
      weights.forEach((weight, i) => {
        const path = paths[i]!;
        const slash = path.lastIndexOf('/');
        const group = ensureGroup(path.slice(0, slash));
        const name = path.slice(slash + 1);
        if (weight.data instanceof Float32Array) {
          group.create_dataset({ name, data: weight.data, shape: weight.shape, dtype: '<f' });
        } else if (weight.dtype === 'int64') {
          group.create_dataset({ name, data: BigInt64Array.from(weight.data, (v) => BigInt(v)), shape: weight.shape, dtype: '<q' });
        } else {
          group.create_dataset({ name, data: weight.data, shape: weight.shape, dtype: '<i' });
        }
      });
    } finally {
      file.close();
    }
    return readFileSync(temp);
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    throw new ModelFileError(target, `model.weights.h5 could not be built (${causeSummary(cause)})`);
  } finally {
    rmSync(temp, { force: true });
  }
}
