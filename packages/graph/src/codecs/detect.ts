import type { JsonObject, ModelIR } from '../ir.js';
import { ModelFormatError } from './errors.js';
import { findNodeStyle } from './common.js';
import { assertNotKeras1 } from './keras1.js';
import { decodeKeras2Json } from './keras2.js';
import { decodeKeras3Config } from './keras3.js';
import { decodeTfjsModelJson } from './tfjs.js';

/** The model config formats {@link decodeModelConfig} recognises. */
export type ModelConfigFormat = 'keras3' | 'keras2' | 'tfjs';

/**
 * Recognises a model config document from its content and decodes it.
 * TF.js: a `model.json` (`modelTopology`, `format: "layers-model"`), a `model_config`
 * wrapper, or a `tfjs-layers` version / `*.js` backend. Keras 3: `{args, kwargs}` nodes,
 * or a top-level `module` without `keras_version`. Anything else is read as Keras 2.
 *
 * @param fileKerasVersion - the file's own `keras_version` (legacy `.h5` root attribute), when known
 * @throws ModelFormatError when the document is not a model config at all, or holds a `"__proto__"` key
 *   anywhere (refused so that every reader of the file sees the same config); Keras1FormatError
 *   (a ModelFormatError) when it was written by Keras 1.
 */
export function decodeModelConfig(
  json: JsonObject,
  fileKerasVersion?: string,
): { format: ModelConfigFormat; model: ModelIR } {
  const format = detectModelConfigFormat(json);
  // Keras 1 configs look like Keras 2 ones but name their arguments differently.
  if (format === 'keras2') assertNotKeras1(json, fileKerasVersion);
  const decode = format === 'tfjs' ? decodeTfjsModelJson : format === 'keras3' ? decodeKeras3Config : decodeKeras2Json;
  return { format, model: decode(json) };
}

/** Which format a model config document is in (see {@link decodeModelConfig}). */
export function detectModelConfigFormat(json: JsonObject): ModelConfigFormat {
  if ('modelTopology' in json || json['format'] === 'layers-model' || 'model_config' in json) return 'tfjs';
  if (!('class_name' in json) || !('config' in json)) {
    throw new ModelFormatError(
      '',
      'expected a model config with "class_name" and "config" (or a TF.js model.json with "modelTopology")',
    );
  }
  const version = json['keras_version'];
  const backend = json['backend'];
  if (typeof version === 'string' && version.startsWith('tfjs')) return 'tfjs';
  if (typeof backend === 'string' && /\.js$/i.test(backend)) return 'tfjs';
  const nodeStyle = findNodeStyle(json['config']);
  if (nodeStyle !== undefined) return nodeStyle;
  if (typeof version === 'string') return version.startsWith('3') ? 'keras3' : 'keras2';
  return 'module' in json ? 'keras3' : 'keras2';
}
