import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFormatError } from './errors.js';

/** Internal helpers to read JSON with error messages that say where a value was wrong. */

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function expectObject(value: JsonValue | undefined, where: string): JsonObject {
  if (!isJsonObject(value)) throw new ModelFormatError(where, `expected an object, got ${describe(value)}`);
  return value;
}

export function expectArray(value: JsonValue | undefined, where: string): JsonValue[] {
  if (!Array.isArray(value)) throw new ModelFormatError(where, `expected an array, got ${describe(value)}`);
  return value;
}

export function expectString(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string') throw new ModelFormatError(where, `expected a string, got ${describe(value)}`);
  return value;
}

export function expectIndex(value: JsonValue | undefined, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ModelFormatError(where, `expected a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

/** `registered_name` is a string or null; anything else is malformed. */
export function optionalRegisteredName(obj: JsonObject, where: string): string | null | undefined {
  if (!('registered_name' in obj)) return undefined;
  const value = obj['registered_name'];
  if (value === null || typeof value === 'string') return value;
  throw new ModelFormatError(`${dot(where)}registered_name`, `expected a string or null, got ${describe(value)}`);
}

export function optionalObject(obj: JsonObject, key: string, where: string): JsonObject | undefined {
  if (!(key in obj)) return undefined;
  return expectObject(obj[key], `${dot(where)}${key}`);
}

export function optionalString(obj: JsonObject, key: string, where: string): string | undefined {
  if (!(key in obj)) return undefined;
  return expectString(obj[key], `${dot(where)}${key}`);
}

/** A copy of `obj` without the given keys; `undefined` when nothing is left and `keepEmpty` is false. */
export function omitKeys(obj: JsonObject, keys: readonly string[]): JsonObject {
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!keys.includes(key)) rest[key] = value;
  }
  return rest;
}

/** Whether a JSON value is a `[layer_name, node_index, tensor_index]` triple. */
export function isHistoryTriple(value: JsonValue): value is [string, number, number] {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'number' &&
    typeof value[2] === 'number'
  );
}

/** `where` followed by a dot, or nothing at the document root (so paths read `config.layers[0]`). */
export function dot(where: string): string {
  return where === '' ? '' : `${where}.`;
}

/**
 * Refuses a document holding a `"__proto__"` key anywhere. `JSON.parse` keeps it as a plain
 * own property, but code that copies objects key by key (`out[key] = value`) would turn it
 * into the copy's prototype, so values hidden under it would reach one reader and not another.
 * One walk per document, with an explicit stack (deep documents do not overflow the call stack).
 *
 * @throws ModelFormatError naming where the key is
 */
export function rejectPrototypeKeys(document: JsonValue, where: string): void {
  const stack: [JsonValue, string][] = [[document, where]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i]!, `${path}[${i}]`]);
    } else if (isJsonObject(value)) {
      if (Object.hasOwn(value, '__proto__')) {
        throw new ModelFormatError(
          path,
          'has a key "__proto__", which Strata refuses: it is never a Keras config key, and copying it would change what the config inherits',
        );
      }
      for (const [key, item] of Object.entries(value)) {
        if (item !== null && typeof item === 'object') stack.push([item, `${dot(path)}${key}`]);
      }
    }
  }
}
