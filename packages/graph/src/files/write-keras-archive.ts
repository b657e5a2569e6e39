/**
 * `writeKerasArchive`: writes a Keras 3 compatible `.keras` zip.
 *
 * @packageDocumentation
 */
import type { Group } from 'h5wasm';
import type { JsonObject } from '../ir.js';
import { writeFileAtomic } from './atomic-write.js';
import { ModelFileError, causeSummary } from './errors.js';
import { createHdf5Bytes } from './hdf5.js';
import { assetMembers } from './keras-assets.js';
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
   * Every object Keras visits when saving (layers, an RNN's `cell`, Bidirectional's
   * `forward_layer`, …) by group path (`layers/lstm/cell`; `''` for the model) and name:
   * each gets a `<path>/vars` group with a `name` attribute, also when it holds no variables,
   * as Keras writes them. Top-level layers get theirs from the config either way.
   */
  objects?: KerasWeightObject[];
  /**
   * Files of the archive's `assets/` folder by their path inside it (a layer's `save_assets`:
   * `layers/string_lookup/vocabulary.txt`); paths must be plain relative segments.
   */
  assets?: ReadonlyMap<string, Uint8Array>;
}

/** One saved object of a weights file: its group path and its name (see {@link KerasArchiveContents.objects}). */
export interface KerasWeightObject {
  path: string;
  name: string;
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
  const weightsBytes = await buildKerasWeightsH5(path, contents.config, contents.weights, contents.objects ?? []);
  const encoder = new TextEncoder();
  const zip = writeZip([
    ['metadata.json', encoder.encode(JSON.stringify(metadata)), false],
    ['config.json', encoder.encode(JSON.stringify(contents.config)), false],
    // Keras stores members uncompressed (zipfile's default ZIP_STORED).
    ['model.weights.h5', weightsBytes, true],
    ...assetMembers(contents.assets ?? new Map<string, Uint8Array>(), path),
  ]);
  await writeFileAtomic(path, zip);
}

/**
 * Writes a Keras 3 `.weights.h5` file (`model.save_weights`): the same HDF5 layout as
 * `model.weights.h5` inside a `.keras` archive. Atomic: temp file, then rename.
 *
 * @throws ModelFileError when a weight cannot be placed or the file cannot be written
 */
export async function writeKerasWeightsFile(
  path: string,
  config: JsonObject,
  weights: WeightEntry[],
  objects: KerasWeightObject[] = [],
): Promise<void> {
  await writeFileAtomic(path, await buildKerasWeightsH5(path, config, weights, objects));
}

/** Places each weight at its Keras 3 dataset path. */
export function kerasWeightPaths(config: JsonObject, weights: WeightEntry[], file: string): string[] {
  const groupOfLayer = new Map(kerasLayerGroups(config).map((entry) => [entry.layerName, entry.group]));
  const nextIndex = new Map<string, number>();
  return weights.map((weight) => {
    if (/(^|\/)vars\/\d+$/.test(weight.path)) return weight.path;
    const group = weight.layerName === undefined ? undefined : groupOfLayer.get(weight.layerName);
    if (group === undefined) {
      throw new ModelFileError(
        file,
        `weight ${weight.path} names no layer of the config (layerName: ${weight.layerName ?? 'none'})`,
      );
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
  objects: readonly KerasWeightObject[],
): Promise<Uint8Array> {
  const paths = kerasWeightPaths(config, weights, target);
  try {
    // Built in h5wasm's in-memory filesystem: no scratch file on disk.
    return await createHdf5Bytes(
      target,
      (file) => {
        // Groups created so far, by path: asking h5wasm for a group's keys costs O(members), so
        // looking them up per layer made saving quadratic in the number of layers.
        const groups = new Map<string, Group>([['', file]]);
        const ensureGroup = (path: string): Group => {
          let group: Group = file;
          let sofar = '';
          for (const part of path.split('/').filter((p) => p !== '')) {
            sofar = sofar === '' ? part : `${sofar}/${part}`;
            let next = groups.get(sofar);
            if (next === undefined) {
              next = group.create_group(part);
              groups.set(sofar, next);
            }
            group = next;
          }
          return group;
        };
        const modelConfig = config['config'];
        const modelName =
          typeof modelConfig === 'object' && modelConfig !== null && !Array.isArray(modelConfig)
            ? modelConfig['name']
            : undefined;
        ensureGroup('vars').create_attribute('name', typeof modelName === 'string' ? modelName : 'model');
        ensureGroup('layers');
        for (const entry of kerasLayerGroups(config))
          ensureGroup(`${entry.group}/vars`).create_attribute('name', entry.layerName);
        for (const object of objects) {
          const vars = ensureGroup(object.path === '' ? 'vars' : `${object.path}/vars`);
          if (!('name' in vars.attrs)) vars.create_attribute('name', object.name);
        }
        weights.forEach((weight, i) => {
          const path = paths[i]!;
          const slash = path.lastIndexOf('/');
          const group = ensureGroup(path.slice(0, slash));
          const name = path.slice(slash + 1);
          if (weight.data instanceof Float32Array) {
            group.create_dataset({ name, data: weight.data, shape: weight.shape, dtype: '<f' });
          } else if (weight.dtype === 'int64') {
            group.create_dataset({
              name,
              data: BigInt64Array.from(weight.data, (v) => BigInt(v)),
              shape: weight.shape,
              dtype: '<q',
            });
          } else {
            group.create_dataset({ name, data: weight.data, shape: weight.shape, dtype: '<i' });
          }
        });
      },
      'model.weights.h5 could not be built',
    );
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    throw new ModelFileError(target, `model.weights.h5 could not be built (${causeSummary(cause)})`);
  }
}
