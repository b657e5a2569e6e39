/**
 * Reads the weights in an opened HDF5 file, in either layout Keras writes:
 * Keras 3 (`layers/<group>/vars/<i>`, `model.weights.h5` / `.weights.h5`) or
 * legacy Keras 2 (`model_weights/<layer>/` with a `weight_names` attribute, or the
 * same groups at the root of a weights-only file).
 *
 * @packageDocumentation
 */
import type { File as H5File, Group } from 'h5wasm';
import type { JsonObject } from '../ir.js';
import { childDataset, childGroup, datasetToWeight, descendantGroup, readStringAttribute, readStringListAttribute } from './hdf5.js';
import { kerasLayerGroups } from './keras-naming.js';
import type { WeightEntry } from './types.js';

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

/**
 * Reads all model weights of an HDF5 file (optimizer state is left out).
 *
 * @param modelConfig - the model config, used to name layers in Keras 3 files
 *   written before Keras 3.6 (which lack the `name` attribute on `vars` groups)
 */
export function readHdf5Weights(file: H5File, modelConfig?: JsonObject): WeightEntry[] {
  const layout = detectWeightLayout(file);
  if (layout === 'legacy') return readLegacyWeights(file);
  if (layout === 'keras3') return readKeras3Weights(file, modelConfig);
  return [];
}

function readLegacyWeights(file: H5File): WeightEntry[] {
  const root = childGroup(file, 'model_weights') ?? file;
  const layerNames = readStringListAttribute(root, 'layer_names') ?? root.keys();
  const weights: WeightEntry[] = [];
  const rootKeys = new Set(root.keys());
  for (const layerName of layerNames) {
    // `childGroup` first: a name read from `layer_names` is one key; a tf.keras 2 name with "/" is a path.
    const group = childGroup(root, layerName, rootKeys) ?? (layerName.includes('/') ? descendantGroup(root, layerName) : null);
    if (!group) continue;
    const weightNames = readStringListAttribute(group, 'weight_names') ?? [];
    for (const weightName of weightNames) {
      const dataset = childDataset(group, weightName);
      if (!dataset) {
        throw new Error(`layer ${layerName} lists weight ${weightName} but the file has no such dataset`);
      }
      weights.push(datasetToWeight(dataset, weightName, layerName));
    }
  }
  return weights;
}

function readKeras3Weights(file: H5File, modelConfig?: JsonObject): WeightEntry[] {
  const groupToLayer = new Map<string, string>();
  const groupOrder = new Map<string, number>();
  if (modelConfig) {
    kerasLayerGroups(modelConfig).forEach((entry, index) => {
      groupToLayer.set(entry.group, entry.layerName);
      groupOrder.set(entry.group, index);
    });
  }
  const found: { owner: string; weight: WeightEntry }[] = [];
  const visit = (group: Group, path: string): void => {
    const keys = new Set(group.keys());
    for (const key of keys) {
      const childPath = path === '' ? key : `${path}/${key}`;
      if (childPath === 'optimizer') continue;
      const child = childGroup(group, key, keys);
      if (!child) continue;
      if (key === 'vars') {
        const owner = path;
        // The top-level layer owns nested variables too (e.g. an LSTM's `cell/vars`), so
        // map the `layers/<group>` prefix first; the `name` attribute (Keras >= 3.6) is the fallback.
        const layerName = groupToLayer.get(topLayerGroup(owner)) ?? readStringAttribute(child, 'name');
        const indices = child.keys().filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
        for (const index of indices) {
          const dataset = childDataset(child, index);
          if (!dataset) continue;
          const weight = datasetToWeight(dataset, `${childPath}/${index}`, owner === '' ? undefined : layerName);
          found.push({ owner, weight });
        }
      } else {
        visit(child, childPath);
      }
    }
  };
  visit(file, '');
  const rank = (owner: string): number => groupOrder.get(topLayerGroup(owner)) ?? Number.MAX_SAFE_INTEGER;
  // Config order first (as Keras loads them), then anything else by path.
  found.sort((a, b) => rank(a.owner) - rank(b.owner) || a.owner.localeCompare(b.owner, 'en', { numeric: true }));
  return found.map((item) => item.weight);
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
