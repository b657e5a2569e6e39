/**
 * Reads the weights in an opened HDF5 file, in either layout Keras writes:
 * Keras 3 (`layers/<group>/vars/<i>`, `model.weights.h5` / `.weights.h5`) or
 * legacy Keras 2 (`model_weights/<layer>/` with a `weight_names` attribute, or the
 * same groups at the root of a weights-only file).
 *
 * Every dataset is declared (shape, element type, virtual or not) and checked against
 * the limits, and the caller's `check`, before any value is read; the group tree is
 * walked by HDF5's own visitor, which visits each object once, so link cycles end.
 *
 * @packageDocumentation
 */
import type { Dataset, File as H5File } from 'h5wasm';
import type { JsonObject } from '../ir.js';
import { ModelFileError } from './errors.js';
import {
  CallerError,
  DatasetReadError,
  childDataset,
  childGroup,
  datasetToWeight,
  descendantGroup,
  outsideFileError,
  readStringAttribute,
  readStringListAttribute,
  refuseOutsideLink,
  taggedDtype,
} from './hdf5.js';
import { kerasLayerGroups } from './keras-naming.js';
import { ByteBudget, checkDeclaredShape, resolveLimits } from './limits.js';
import type { ReadWeightsOptions, WeightEntry, WeightInfo } from './types.js';

/** Which weight layout an HDF5 file uses. */
export type Hdf5WeightLayout = 'keras3' | 'legacy' | 'none';

/** Says which weight layout the file has. */
export function detectWeightLayout(file: H5File): Hdf5WeightLayout {
  const rootKeys = file.keys();
  if (rootKeys.includes('model_weights') || readStringListAttribute(file, 'layer_names') !== undefined) return 'legacy';
  if (rootKeys.includes('layers') || rootKeys.includes('vars') || rootKeys.includes('_layer_checkpoint_dependencies')) {
    return 'keras3';
  }
  return 'none';
}

/** A dataset found in the file, to be checked and then read. */
interface FoundDataset {
  dataset: Dataset;
  /** The path reported in the weight entry. */
  path: string;
  layerName: string | undefined;
}

/** Options of {@link readHdf5Weights}. */
export interface ReadHdf5WeightsOptions extends ReadWeightsOptions {
  /**
   * The model config, used to name layers in Keras 3 files written before Keras 3.6
   * (which lack the `name` attribute on `vars` groups).
   */
  modelConfig?: JsonObject;
  /** Size of the HDF5 file in bytes, for the expansion limit (declared bytes ÷ file size). */
  fileBytes?: number;
}

/**
 * Reads all model weights of an HDF5 file (optimizer state is left out).
 *
 * @param displayName - the file named in errors
 * @throws ModelFileError for datasets in other files, virtual datasets, unsupported
 *   element types, bad or oversized shapes (before any value is read)
 */
export function readHdf5Weights(
  file: H5File,
  displayName: string,
  options: ReadHdf5WeightsOptions = {},
): WeightEntry[] {
  const layout = detectWeightLayout(file);
  const found =
    layout === 'legacy'
      ? findLegacyDatasets(file)
      : layout === 'keras3'
        ? findKeras3Datasets(file, options.modelConfig)
        : [];
  const limits = resolveLimits(options.limits);
  const budget = new ByteBudget(limits, displayName, options.fileBytes);
  const declared = found.map((item) => declare(item, displayName, limits, budget));
  if (options.check) {
    try {
      options.check(declared);
    } catch (cause) {
      throw new CallerError(cause);
    }
  }
  return found.map((item) => {
    try {
      return datasetToWeight(item.dataset, item.path, item.layerName);
    } catch (cause) {
      throw new DatasetReadError(item.path, cause);
    }
  });
}

const FLOAT = 1;
const INTEGER = 0;

/** Checks one dataset's declaration (no values read) and returns it as a weight info. */
function declare(
  item: FoundDataset,
  file: string,
  limits: ReturnType<typeof resolveLimits>,
  budget: ByteBudget,
): WeightInfo {
  const metadata = item.dataset.metadata;
  const where = `dataset ${item.path}`;
  const sources = metadata.virtual_sources;
  if (sources !== undefined) {
    throw outsideFileError(
      file,
      where,
      `a virtual dataset over ${sources.map((s) => `${s.file_name}:${s.dset_name}`).join(', ') || 'no sources'}`,
    );
  }
  const size = metadata.size;
  if ((metadata.type !== FLOAT && metadata.type !== INTEGER) || metadata.vlen || ![1, 2, 4, 8].includes(size)) {
    throw new ModelFileError(
      file,
      `${where} has an unsupported element type (HDF5 class ${metadata.type}, ${size} bytes); weights are integers or floats`,
    );
  }
  const shape = metadata.shape ?? [];
  const count = checkDeclaredShape(shape, Math.max(size, 4), limits, file, where);
  budget.spend(count * size, where);
  const dtype =
    taggedDtype(item.dataset) === 'bfloat16' && size === 2
      ? 'bfloat16'
      : metadata.type === FLOAT
        ? `float${size * 8}`
        : `${metadata.signed ? 'int' : 'uint'}${size * 8}`;
  return item.layerName === undefined
    ? { path: item.path, shape: [...shape], dtype }
    : { path: item.path, layerName: item.layerName, shape: [...shape], dtype };
}

function findLegacyDatasets(file: H5File): FoundDataset[] {
  const root = childGroup(file, 'model_weights') ?? file;
  const layerNames = readStringListAttribute(root, 'layer_names') ?? root.keys();
  const found: FoundDataset[] = [];
  const rootKeys = new Set(root.keys());
  for (const layerName of layerNames) {
    // `childGroup` first: a name read from `layer_names` is one key; a tf.keras 2 name with "/" is a path.
    const group =
      childGroup(root, layerName, rootKeys) ?? (layerName.includes('/') ? descendantGroup(root, layerName) : null);
    if (!group) continue;
    const weightNames = readStringListAttribute(group, 'weight_names') ?? [];
    for (const weightName of weightNames) {
      const dataset = childDataset(group, weightName);
      if (!dataset) {
        throw new Error(`layer ${layerName} lists weight ${weightName} but the file has no such dataset`);
      }
      found.push({ dataset, path: weightName, layerName });
    }
  }
  return found;
}

const VARIABLE_PATH = /^(?:(.*)\/)?vars\/(\d+)$/;

function findKeras3Datasets(file: H5File, modelConfig?: JsonObject): FoundDataset[] {
  const groupToLayer = new Map<string, string>();
  const groupOrder = new Map<string, number>();
  if (modelConfig) {
    kerasLayerGroups(modelConfig).forEach((entry, index) => {
      groupToLayer.set(entry.group, entry.layerName);
      groupOrder.set(entry.group, index);
    });
  }
  const layerNameOf = new Map<string, string | undefined>();
  const found: { owner: string; index: number; item: FoundDataset }[] = [];
  // HDF5's link visitor lists every link once and enters each group once, so hard-link cycles end.
  for (const path of file.paths()) {
    const match = VARIABLE_PATH.exec(path);
    if (!match || path === 'optimizer' || path.startsWith('optimizer/')) continue;
    const owner = match[1] ?? '';
    // Nested `vars` (e.g. `…/vars/0/vars/1`) are not variables of a layer.
    if (/(^|\/)vars\/\d+(\/|$)/.test(owner)) continue;
    const entity = file.get(path);
    refuseOutsideLink(entity, path);
    if (entity === null || (entity as { type?: unknown }).type !== 'Dataset') continue;
    if (!layerNameOf.has(owner)) {
      // The top-level layer owns nested variables too (e.g. an LSTM's `cell/vars`), so
      // map the `layers/<group>` prefix first; the `name` attribute (Keras >= 3.6) is the fallback.
      const varsGroup = descendantGroup(file, owner === '' ? 'vars' : `${owner}/vars`);
      layerNameOf.set(
        owner,
        groupToLayer.get(topLayerGroup(owner)) ?? (varsGroup ? readStringAttribute(varsGroup, 'name') : undefined),
      );
    }
    const layerName = owner === '' ? undefined : layerNameOf.get(owner);
    found.push({ owner, index: Number(match[2]), item: { dataset: entity as Dataset, path, layerName } });
  }
  const rank = (owner: string): number => groupOrder.get(topLayerGroup(owner)) ?? Number.MAX_SAFE_INTEGER;
  // Config order first (as Keras loads them), then anything else by path.
  found.sort(
    (a, b) =>
      rank(a.owner) - rank(b.owner) || a.owner.localeCompare(b.owner, 'en', { numeric: true }) || a.index - b.index,
  );
  return found.map((entry) => entry.item);
}

/**
 * `layers/<group>` of a variable owner path; files from the Keras 2.13 era use
 * `_layer_checkpoint_dependencies` where Keras 3 uses `layers` (`H5IOStore.get`).
 */
function topLayerGroup(owner: string): string {
  const [head, group] = owner.split('/');
  if (group === undefined) return owner;
  return `${head === '_layer_checkpoint_dependencies' ? 'layers' : head}/${group}`;
}
