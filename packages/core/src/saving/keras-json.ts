/**
 * `modelToKerasJson` / `modelFromKerasJson`: Keras's `model.to_json()` and
 * `keras.models.model_from_json()`.
 */
import { decodeModelConfig, encodeKeras3Config, type JsonObject, type JsonValue } from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import type { Model } from '../engine/model.js';
import { ModelLoadError } from './class-lookup.js';
import { modelFromIR } from './model-from-ir.js';
import { modelToIR } from './model-to-ir.js';

/** The model's Keras 3 JSON (`model.to_json()`); the compile config is not part of it, as in Keras. */
export function modelToKerasJson(model: Functional): string {
  const ir = modelToIR(model);
  delete ir.compileConfig;
  return JSON.stringify(encodeKeras3Config(ir));
}

/**
 * A model from Keras JSON (`model_from_json`): Keras 3 `to_json()` / `config.json`, Keras 2
 * `to_json()` or a TF.js topology. Weights are freshly initialized. Only registered classes
 * are built; nothing in the JSON is run.
 *
 * @throws ModelLoadError for invalid JSON, `Lambda` or unregistered classes
 */
export function modelFromKerasJson(json: string | JsonObject): Model {
  let document: JsonValue;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json) as JsonValue;
    } catch (cause) {
      throw new ModelLoadError(
        `Model JSON is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      );
    }
  } else {
    document = json;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ModelLoadError('Model JSON must be an object with "class_name" and "config"');
  }
  const { model } = decodeModelConfig(document);
  return modelFromIR(model, { compile: false });
}
