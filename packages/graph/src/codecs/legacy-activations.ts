/**
 * Activations whose meaning changed in Keras 3, read as the Keras that wrote the file meant them.
 * `hard_sigmoid` was clip(0.2·x + 0.5, 0, 1) in Keras 1/2 and TF.js and is relu6(x + 3) / 6 in
 * Keras 3; a file written by Keras < 3 or TF.js gets `hard_sigmoid_legacy` in its place, which
 * shows in the loaded config and is saved under that name.
 */
import type { JsonObject, JsonValue, LayerIR, ModelIR } from '../ir.js';

/** The activation name given to Keras 2 / TF.js `hard_sigmoid`. */
export const LEGACY_HARD_SIGMOID = 'hard_sigmoid_legacy';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function anyLayerHasModule(ir: ModelIR): boolean {
  return (
    ir.module !== undefined ||
    ir.layers.some((l: LayerIR) => l.module !== undefined || (l.model !== undefined && anyLayerHasModule(l.model)))
  );
}

/**
 * Whether an IR was written by Keras < 3 or TF.js: no Keras 3 `module` anywhere in it, and a
 * writer version (the file's `keras_version`, else the config's own) that is not 3.x.
 */
export function writtenBeforeKeras3(ir: ModelIR, writerKerasVersion?: string): boolean {
  if (anyLayerHasModule(ir)) return false;
  const own = ir.layout?.topLevel?.['keras_version'];
  const version = writerKerasVersion ?? (typeof own === 'string' ? own : undefined);
  return version === undefined || !/^3(\.|$)/.test(version);
}

/** Replaces `hard_sigmoid` in every `*activation` entry of a config, wrapped layers and cells included. */
function legacyConfig(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(legacyConfig);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] = key.endsWith('activation') && entry === 'hard_sigmoid' ? LEGACY_HARD_SIGMOID : legacyConfig(entry);
  }
  return out;
}

/** The IR with Keras 2 / TF.js `hard_sigmoid` activations named `hard_sigmoid_legacy` (nested models included). */
export function withLegacyActivations(ir: ModelIR): ModelIR {
  return {
    ...ir,
    layers: ir.layers.map((layer) => ({
      ...layer,
      config: legacyConfig(layer.config) as JsonObject,
      ...(layer.model === undefined ? {} : { model: withLegacyActivations(layer.model) }),
    })),
  };
}
