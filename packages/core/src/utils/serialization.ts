/**
 * The Keras 3 serialized-object form shared by initializers, regularizers,
 * constraints and layers: `{module, class_name, config, registered_name}`,
 * held here in camelCase (converted to snake_case at the IR boundary).
 */
import { ownValue } from '@strata/graph';
import { ConfigurationError } from './errors.js';

/** A serialized Keras object in camelCase form. */
export interface SerializedObject {
  module: string;
  className: string;
  config: Record<string, unknown>;
  registeredName: string | null;
}

/** An object that can describe itself as a Keras serialized object. */
export interface Serializable {
  readonly className: string;
  getConfig(): Record<string, unknown>;
}

/** Wraps a serializable object in the Keras 3 envelope. */
export function serializeObject(module: string, object: Serializable): SerializedObject {
  return { module, className: object.className, config: object.getConfig(), registeredName: null };
}

/** True when a value looks like a serialized object (`{className, config}`). */
export function isSerializedObject(value: unknown): value is { className: string; config?: Record<string, unknown> } {
  return (
    value !== null && typeof value === 'object' && typeof (value as { className?: unknown }).className === 'string'
  );
}

/**
 * Resolves a "by name or object" option shared by initializers, regularizers and constraints:
 * a snake_case name or class name, a serialized object, or an instance.
 */
export function resolveByName<T>(
  kind: string,
  identifier: unknown,
  byName: Record<string, (config: Record<string, unknown>) => T>,
  isInstance: (value: unknown) => value is T,
): T {
  if (isInstance(identifier)) return identifier;
  let name: string;
  let config: Record<string, unknown> = {};
  if (typeof identifier === 'string') {
    name = identifier;
  } else if (isSerializedObject(identifier)) {
    name = identifier.className;
    config = identifier.config ?? {};
  } else {
    throw new ConfigurationError(
      `Invalid ${kind}: ${JSON.stringify(identifier)}; expected a name, a {className, config} object or an instance`,
    );
  }
  const factory = ownValue(byName, name) ?? ownValue(byName, name.toLowerCase());
  if (factory === undefined) {
    const names = Object.keys(byName).filter((k) => /^[a-z]/.test(k));
    throw new ConfigurationError(`Unknown ${kind} "${name}"; valid choices: ${names.join(', ')}`);
  }
  return factory(config);
}
