import type { JsonObject, ModelIR } from '../ir.js';
import { decodeModelObject, encodeModelObject } from './common.js';
import { ModelFormatError } from './errors.js';
import { dot, expectObject, isJsonObject, omitKeys } from './json.js';
import { keras2NodeFormat } from './keras2.js';

/**
 * Decodes a TF.js Layers model: either a whole `model.json` (with `modelTopology`) or the
 * topology itself, which may be wrapped as `{model_config, training_config}`. Nodes use the
 * Keras 2 format. Weights manifests are not part of the IR and are ignored.
 *
 * @throws ModelFormatError when the document is not a valid TF.js Layers topology.
 */
export function decodeTfjsModelJson(json: JsonObject): ModelIR {
  let topology = json;
  let where = '';
  if ('modelTopology' in json) {
    topology = expectObject(json['modelTopology'], 'modelTopology');
    where = 'modelTopology';
  }
  if (!('model_config' in topology)) return decodeModelObject(topology, where, keras2NodeFormat);

  const modelConfigWhere = where === '' ? 'model_config' : `${dot(where)}model_config`;
  const model = decodeModelObject(expectObject(topology['model_config'], modelConfigWhere), modelConfigWhere, keras2NodeFormat);
  const trainingConfig = topology['training_config'];
  if (trainingConfig !== undefined && trainingConfig !== null) {
    if (!isJsonObject(trainingConfig)) throw new ModelFormatError(`${dot(where)}training_config`, 'expected an object');
    model.compileConfig = trainingConfig;
  }
  const wrapper = omitKeys(topology, ['model_config', 'training_config']);
  if (trainingConfig === null) wrapper['training_config'] = null;
  model.layout = { ...(model.layout ?? {}), modelConfigWrapper: wrapper };
  return model;
}

/** Encodes a model as a TF.js `modelTopology` (Keras 2 node format). */
export function encodeTfjsModelTopology(ir: ModelIR): JsonObject {
  const wrapper = ir.layout?.modelConfigWrapper;
  if (wrapper === undefined) return encodeModelObject(ir, keras2NodeFormat);
  const { compileConfig, ...rest } = ir;
  const topology: JsonObject = { ...wrapper, model_config: encodeModelObject(rest, keras2NodeFormat) };
  if (compileConfig !== undefined) topology['training_config'] = compileConfig;
  return topology;
}
