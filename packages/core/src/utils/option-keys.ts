/**
 * Unknown option keys fail at once, with a hint: people porting Keras code (or running `.js`
 * without type-checking) type `kernel_size` or `input`, which TypeScript's types would catch but
 * plain JavaScript silently ignores.
 */
import { closestName } from '@strata/graph';
import { ConfigurationError } from './errors.js';

/**
 * Throws when `options` has a key outside `allowed`, naming the key, the likely intended one
 * (`batch_size` → `batchSize`) and the valid keys.
 *
 * @param where - who takes the options, e.g. `Model` or `Conv2D "conv2d"`
 */
export function checkOptionKeys(where: string, options: object, allowed: readonly string[]): void {
  // A value where the options object belongs (`Input([80], 'int32')`) would list its characters.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      `${where}: expected an options object ({ ${allowed.slice(0, 3).join(', ')}, … }), got ${JSON.stringify(options) ?? String(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const hint = closestName(key, allowed);
    throw new ConfigurationError(
      `${where}: unknown option "${key}"${hint === undefined ? '.' : `; did you mean "${hint}"?`} Valid options: ${allowed.join(', ')}`,
    );
  }
}
