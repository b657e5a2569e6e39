import type { JsonObject, ModelIR } from '../ir.js';
import { decodeModelObject, encodeModelObject, findNodeStyle, type NodeFormat } from './common.js';
import { ModelFormatError } from './errors.js';
import { dot, expectObject, isJsonObject, omitKeys } from './json.js';
import { keras2NodeFormat } from './keras2.js';
import { keras3NodeFormat } from './keras3.js';

/** Topologies converted from Keras 3 files may carry Keras 3 `{args, kwargs}` nodes; read those too. */
function nodeFormatOf(topology: JsonObject): NodeFormat {
  return findNodeStyle(topology['config']) === 'keras3' ? keras3NodeFormat : keras2NodeFormat;
}

/**
 * Decodes a TF.js Layers model: either a whole `model.json` (with `modelTopology`) or the
 * topology itself, which may be wrapped as `{model_config, training_config}`. Nodes are in
 * the Keras 2 format, or in the Keras 3 one when the topology was converted from a Keras 3
 * model. Weights manifests are not part of the IR and are ignored.
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
  if (!('model_config' in topology)) return decodeModelObject(topology, where, nodeFormatOf(topology));

  const modelConfigWhere = where === '' ? 'model_config' : `${dot(where)}model_config`;
  const modelConfig = expectObject(topology['model_config'], modelConfigWhere);
  const model = decodeModelObject(modelConfig, modelConfigWhere, nodeFormatOf(modelConfig));
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

/** Encodes a model as a TF.js `modelTopology`, always with Keras 2 nodes (what TF.js can load). */
export function encodeTfjsModelTopology(ir: ModelIR): JsonObject {
  const wrapper = ir.layout?.modelConfigWrapper;
  if (wrapper === undefined) return encodeModelObject(ir, keras2NodeFormat);
  const { compileConfig, ...rest } = ir;
  const topology: JsonObject = { ...wrapper, model_config: encodeModelObject(rest, keras2NodeFormat) };
  if (compileConfig !== undefined) topology['training_config'] = compileConfig;
  return topology;
}
