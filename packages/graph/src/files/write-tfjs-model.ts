/**
 * `convertToTfjsModel`: any readable model file → a TF.js Layers `model.json` plus one
 * `group1-shard1of1.bin` weight shard, without TF.js.
 *
 * @packageDocumentation
 */
import { basename, dirname, join } from 'node:path';
import { downgradeToKeras2 } from '../codecs/downgrade-keras2.js';
import { encodeTfjsModelTopology } from '../codecs/tfjs.js';
import type { JsonObject, JsonValue, ModelIR } from '../ir.js';
import { walkLayers } from '../walk.js';
import { ModelFileError } from './errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { ConversionReport } from './convert-model-file.js';
import { keras3ModelOf } from './convert-model-file.js';
import { kerasVariableGroups } from './keras3-variables.js';
import { placeWeightsForKeras3 } from './place-weights.js';
import type { ModelFile, WeightEntry } from './types.js';

/** TF.js manifests name a weight `layer/<scopes…>/variable`, e.g. `bidirectional/forward_lstm/kernel`. */
function tfjsWeightNames(model: Parameters<typeof kerasVariableGroups>[0]): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of kerasVariableGroups(model)) {
    group.variables.forEach((aliases, index) => {
      // Inside a nested model TF.js names a variable after its own layer only (`inner_dense/kernel`).
      const nested = group.path.split('/').length > 2 && group.path.split('/')[2] === 'layers';
      const scope = nested ? group.legacyScope : [group.layerName, ...group.legacyScope];
      names.set(`${group.path}/vars/${index}`, [...scope, aliases[aliases.length - 1]!].join('/'));
    });
  }
  return names;
}

/**
 * Configs TF.js Layers cannot run: GRU with `reset_after: true` (Keras 3's default) — its
 * `GRUCell` refuses it. Found in wrapped layers too; the error names the layer.
 */
function checkTfjsSupport(model: ModelIR, target: string): void {
  const visit = (config: JsonValue, where: string): void => {
    if (Array.isArray(config)) config.forEach((item) => visit(item, where));
    else if (typeof config === 'object' && config !== null) {
      if (
        (config['class_name'] === 'GRU' || config['class_name'] === 'GRUCell') &&
        typeof config['config'] === 'object' &&
        config['config'] !== null &&
        !Array.isArray(config['config']) &&
        config['config']['reset_after'] === true
      ) {
        throw new ModelFileError(
          target,
          `cannot be written as TF.js: ${where} is a GRU with reset_after=true (Keras 3's default), which TF.js Layers does not support; write a .keras instead`,
        );
      }
      for (const key of ['activation', 'recurrent_activation']) {
        // TF.js's hard_sigmoid is clip(0.2x + 0.5, 0, 1); Keras 3's relu6(x + 3) / 6 has no TF.js name.
        if (config[key] === 'hard_sigmoid') {
          throw new ModelFileError(
            target,
            `cannot be written as TF.js: ${where} uses Keras 3's hard_sigmoid (relu6(x + 3) / 6) as ${key}, which TF.js computes as clip(0.2x + 0.5, 0, 1); write a .keras instead`,
          );
        }
      }
      Object.values(config).forEach((item) => visit(item, where));
    }
  };
  for (const { layer, path } of walkLayers(model)) {
    const where = `layer "${[...path.slice(1), layer.name].join('/')}"`;
    visit({ class_name: layer.className, config: layer.config }, where);
  }
}

/** Keras 2 / TF.js list a Bidirectional's forward weights before its backward ones. */
function legacyOrder(path: string): string {
  return path.replace('/forward_layer/', '/0_forward_layer/').replace('/backward_layer/', '/1_backward_layer/');
}

/**
 * Writes `file` as a TF.js Layers model: `target` (`model.json`) and a `.bin` shard beside it
 * named after it (`<stem>.weights.bin`). Both are written atomically.
 *
 * @throws ModelFileError when the weights cannot be read or placed, or a file cannot be written
 */
export async function convertToTfjsModel(file: ModelFile, target: string): Promise<ConversionReport> {
  const { model, notes } = keras3ModelOf(file);
  checkTfjsSupport(model, target);
  const stored: WeightEntry[] = file.weights ? await file.weights() : [];
  const placed = placeWeightsForKeras3(model, stored, file.path);
  const names = tfjsWeightNames(model);
  const layerOrder = new Map(model.layers.map((layer, i) => [layer.name, i]));
  const ordered = placed
    .map((weight, i) => ({ weight, i }))
    .sort(
      (a, b) =>
        (layerOrder.get(a.weight.layerName ?? '') ?? 0) - (layerOrder.get(b.weight.layerName ?? '') ?? 0) ||
        legacyOrder(a.weight.path).localeCompare(legacyOrder(b.weight.path), 'en', { numeric: true }) ||
        a.i - b.i,
    )
    .map(({ weight }) => weight);
  const shardName = `${basename(target).replace(/\.json$/i, '')}.weights.bin`;
  const total = ordered.reduce((sum, weight) => sum + weight.data.length * 4, 0);
  const shard = new Uint8Array(total);
  let offset = 0;
  const manifestWeights: JsonValue[] = [];
  for (const weight of ordered) {
    const bytes = new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.length * 4);
    shard.set(bytes, offset);
    offset += bytes.length;
    manifestWeights.push({
      name: names.get(weight.path) ?? weight.path,
      shape: weight.shape,
      dtype: weight.data instanceof Int32Array ? 'int32' : 'float32',
    });
  }
  const legacy = downgradeToKeras2(model);
  legacy.layout = { modelConfigWrapper: { keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' } };
  const topology = encodeTfjsModelTopology(legacy);
  const modelJson: JsonObject = {
    format: 'layers-model',
    generatedBy: 'Strata strata convert',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: [shardName], weights: manifestWeights }],
  };
  await writeFileAtomic(join(dirname(target), shardName), shard);
  await writeFileAtomic(target, `${JSON.stringify(modelJson)}\n`);
  return { weights: ordered.length, notes };
}
