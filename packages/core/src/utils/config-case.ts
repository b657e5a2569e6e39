/**
 * Conversion between Strata's camelCase configs and Keras's snake_case configs.
 * Only keys are converted; values are kept (strings such as `"channels_last"` stay).
 */
import { ownValue } from '@strata/graph';
import { ConfigurationError } from './errors.js';

/** Keys whose snake_case form has a digit after an underscore (not derivable). */
const SNAKE_EXCEPTIONS: Record<string, string> = {
  beta1: 'beta_1',
  beta2: 'beta_2',
};
const CAMEL_EXCEPTIONS: Record<string, string> = Object.fromEntries(
  Object.entries(SNAKE_EXCEPTIONS).map(([camel, snake]) => [snake, camel]),
);

/** `kernelSize` → `kernel_size`. */
export function toSnakeCase(key: string): string {
  return ownValue(SNAKE_EXCEPTIONS, key) ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `kernel_size` → `kernelSize`. Keys starting with `_` or `$` are kept. */
export function toCamelCase(key: string): string {
  if (key.startsWith('_') || key.startsWith('$')) return key;
  return ownValue(CAMEL_EXCEPTIONS, key) ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function convertKeys(value: unknown, convert: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, convert));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // `out["__proto__"] = v` would replace the prototype: refused, as the file codecs do.
      if (key === '__proto__')
        throw new ConfigurationError('Config has a key "__proto__", which is never a Keras config key; refused');
      out[convert(key)] = convertKeys(v, convert);
    }
    return out;
  }
  return value;
}

/** Deeply converts every key of a camelCase config to snake_case. */
export function configToSnake<T>(config: T): unknown {
  return convertKeys(config, toSnakeCase);
}

/** Deeply converts every key of a snake_case config to camelCase. */
export function configToCamel(config: unknown): Record<string, unknown> {
  return convertKeys(config, toCamelCase) as Record<string, unknown>;
}
