/**
 * Lookups by a name that may come from a file. `table[name]` also finds what every object
 * inherits (`"constructor"`, `"toString"`, `"__proto__"`), so a file naming activation
 * `"constructor"` would get `Object` back instead of "unknown activation". Every registry
 * lookup by an outside name goes through these helpers (or a `Map`).
 */

/** The value `table` holds under `key` as its own property, or undefined (never an inherited one). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Whether `table` has `key` as its own property (`key in table` also sees `Object.prototype`). */
export function hasOwnKey(table: object, key: string): boolean {
  return Object.hasOwn(table, key);
}
