/**
 * Encodes a (fixed) model back into the config format of the file it came from.
 *
 * @packageDocumentation
 */
import {
  detectModelConfigFormat,
  encodeKeras2Json,
  encodeKeras3Config,
  encodeTfjsModelTopology,
  type JsonObject,
  type ModelFile,
  type ModelIR,
} from '@strata/graph';

/**
 * The config to hand to `writeModelConfigFile` for `file`: Keras 3 for `.keras` and
 * Keras 3 JSON, Keras 2 for Keras 2 JSON, the format of the stored `model_config` for
 * `.h5`, and a `modelTopology` for TF.js.
 */
export function encodeForFile(file: ModelFile, model: ModelIR): JsonObject {
  switch (file.format) {
    case 'keras-zip':
    case 'keras3-config-json':
      return encodeKeras3Config(model);
    case 'keras2-json':
      return encodeKeras2Json(model);
    case 'tfjs-model-json':
      return encodeTfjsModelTopology(model);
    case 'keras-h5':
      return detectModelConfigFormat(file.config) === 'keras3' ? encodeKeras3Config(model) : encodeKeras2Json(model);
  }
}
