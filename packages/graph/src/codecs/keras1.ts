/**
 * Recognises model configs written by Keras 1, whose layer arguments Keras 2 renamed
 * (`output_dim` → `units`, `nb_filter` → `filters`, `init` → `kernel_initializer`, …). Neither
 * Keras 3 nor Strata reads them; without this check they fail deep inside a layer
 * ("units must be a positive integer, got undefined"). Shared by the loader, lint and summary.
 */
import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFormatError } from './errors.js';

/** Keras 1 argument names and what Keras 2 called them. */
const KERAS1_KEYS: Readonly<Record<string, string>> = {
  output_dim: 'units',
  nb_filter: 'filters',
  nb_row: 'kernel_size',
  nb_col: 'kernel_size',
  init: 'kernel_initializer',
  inner_init: 'recurrent_initializer',
  border_mode: 'padding',
  subsample: 'strides',
  dim_ordering: 'data_format',
  W_regularizer: 'kernel_regularizer',
  U_regularizer: 'recurrent_regularizer',
  b_regularizer: 'bias_regularizer',
  W_constraint: 'kernel_constraint',
  U_constraint: 'recurrent_constraint',
  b_constraint: 'bias_constraint',
  dropout_W: 'dropout',
  dropout_U: 'recurrent_dropout',
  pool_length: 'pool_size',
  filter_length: 'kernel_size',
  input_dtype: 'dtype',
};

/** Classes that legitimately keep a Keras 1 key name in Keras 2/3 (`Embedding(output_dim=…)`). */
const KEEPS: Readonly<Record<string, readonly string[]>> = { Embedding: ['output_dim'] };

/** Thrown for a model config written by Keras 1. */
export class Keras1FormatError extends ModelFormatError {
  constructor(evidence: string) {
    super(
      '',
      `this model was written by Keras 1 (${evidence}). Keras 1 configs use argument names that Keras 2 renamed ` +
        `(output_dim → units, nb_filter → filters, init → kernel_initializer, border_mode → padding, subsample → strides, …), ` +
        `which neither Keras 3 nor Strata reads. To use it, load it with Keras 2 (up to 2.3, which converts Keras 1 arguments), ` +
        `save it again from there (model.save("model.h5")), and load that file.`,
    );
    this.name = 'Keras1FormatError';
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first layer config (depth first, nested models and wrappers included) with Keras 1 keys. */
function findKeras1Layer(layers: JsonValue | undefined): string | undefined {
  if (!Array.isArray(layers)) return undefined;
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    // A nested Keras 1 Sequential's config is its bare list of layers.
    if (Array.isArray(layer['config'])) {
      const nested = findKeras1Layer(layer['config']);
      if (nested !== undefined) return nested;
      continue;
    }
    if (!isObject(layer['config'])) continue;
    const className = typeof layer['class_name'] === 'string' ? layer['class_name'] : '?';
    const config = layer['config'];
    const keep = KEEPS[className] ?? [];
    const keys = Object.keys(config).filter((k) => Object.hasOwn(KERAS1_KEYS, k) && !keep.includes(k));
    if (keys.length > 0) {
      const name = typeof config['name'] === 'string' ? config['name'] : '?';
      return `layer "${name}" (${className}) has Keras 1 config keys ${keys.map((k) => `${k} (Keras 2: ${KERAS1_KEYS[k]})`).join(', ')}`;
    }
    const nested =
      findKeras1Layer(Array.isArray(config['layers']) ? config['layers'] : undefined) ??
      (isObject(config['layer']) ? findKeras1Layer([config['layer']]) : undefined);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/**
 * Why a model config (and the file's `keras_version`, when known) looks written by Keras 1, or
 * undefined when it does not.
 */
export function keras1Evidence(json: JsonObject, fileKerasVersion?: string): string | undefined {
  const version = typeof json['keras_version'] === 'string' ? json['keras_version'] : fileKerasVersion;
  const byVersion = typeof version === 'string' && /^1\./.test(version) ? `keras_version "${version}"` : undefined;
  const config = json['config'];
  const byKeys = findKeras1Layer(Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined);
  return byVersion !== undefined && byKeys !== undefined ? `${byVersion}; ${byKeys}` : (byVersion ?? byKeys);
}

/** @throws Keras1FormatError when the config (or the file's `keras_version`) is from Keras 1 */
export function assertNotKeras1(json: JsonObject, fileKerasVersion?: string): void {
  const evidence = keras1Evidence(json, fileKerasVersion);
  if (evidence !== undefined) throw new Keras1FormatError(evidence);
}
