/**
 * Automatic layer and model names, as Keras's `auto_name`: the first `Dense` is
 * `dense`, the next `dense_1`, and so on, per process until {@link clearSession}.
 */
import { classNameToSnakeCase } from '@strata/graph';

const counters = new Map<string, number>();

/** A fresh name for an object of the given Keras class. */
export function autoName(className: string): string {
  return uniqueName(classNameToSnakeCase(className));
}

/** A fresh name from a prefix: `prefix`, then `prefix_1`, `prefix_2`, … */
export function uniqueName(prefix: string): string {
  const count = counters.get(prefix) ?? 0;
  counters.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/** Resets automatic names, as `keras.utils.clear_session()`. */
export function clearSession(): void {
  counters.clear();
}
