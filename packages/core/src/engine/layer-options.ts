/**
 * Runtime checks of layer constructor arguments. TypeScript's option interfaces vanish at run
 * time, so people running `.js` (or ported Keras code) would see `{ pool_size: 3 }` or
 * `new Conv2D(32, [3, 3])` silently ignored; here each layer class lists the option keys it
 * accepts (`static optionKeys`, its own keys only; the base classes' are added), unknown keys
 * fail with a "did you mean" hint, and Keras's leading positional arguments are merged into
 * the options object.
 */
import { checkOptionKeys } from '../utils/option-keys.js';

/** A layer class as these checks see it: its Keras name and the option keys it declares itself. */
export interface OptionKeyedClass {
  readonly className: string;
  readonly optionKeys?: readonly string[];
}

/** Nesting depth of {@link buildingFromFile} scopes: configs read from files are not checked. */
let fileDepth = 0;

/**
 * Runs `build` with option-key checks off, for layers built from a file's config. Keras writes
 * config keys the runtime ignores on purpose (and files from older Keras versions carry more);
 * refusing them would refuse good files. Constructors called by user code stay strict.
 */
export function buildingFromFile<T>(build: () => T): T {
  fileDepth++;
  try {
    return build();
  } finally {
    fileDepth--;
  }
}

/**
 * Every option key `cls` accepts: the `optionKeys` each class of its chain declares itself.
 * Undefined when `cls` declares none of its own (a user's subclass whose keys are unknown).
 */
export function acceptedOptionKeys(cls: OptionKeyedClass): string[] | undefined {
  if (!Object.hasOwn(cls, 'optionKeys')) return undefined;
  const keys = new Set<string>();
  for (let c: unknown = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'optionKeys')) for (const key of (c as unknown as OptionKeyedClass).optionKeys!) keys.add(key);
  }
  return [...keys];
}

/**
 * Throws a TypeError naming the layer class when `options` has a key `cls` does not accept,
 * with the camelCase spelling as hint (`kernel_size` → `kernelSize`). No check inside
 * {@link buildingFromFile}, or for classes that declare no `optionKeys` of their own.
 */
export function checkLayerOptions(cls: OptionKeyedClass, options: unknown): void {
  if (fileDepth > 0 || options === null || typeof options !== 'object') return;
  const accepted = acceptedOptionKeys(cls);
  if (accepted === undefined) return;
  const name = (options as { name?: unknown }).name;
  checkOptionKeys(typeof name === 'string' ? `${cls.className} "${name}"` : cls.className, options, accepted);
}

/** True for an options object: a plain object, not a list, layer, tensor or function. */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Keras's call forms as one options object: the leading arguments are Keras's positional
 * parameters `names` (`Conv2D(filters, kernelSize)`), an options object may follow (or come
 * first: `MaxPooling2D({ poolSize: 3 })`, Keras's keywords). Checks the keys against `cls`
 * and refuses a value given twice (differently) or too many arguments, naming the layer.
 *
 * @param cls - the class being constructed (`new.target`), for its name and accepted keys
 * @param params - the constructor's arguments, as given
 * @param names - Keras's positional parameter names, camelCase, in order
 */
export function layerArgs<T extends object>(
  cls: OptionKeyedClass,
  params: readonly unknown[],
  names: readonly string[],
): T {
  const positional: Record<string, unknown> = {};
  let options: Record<string, unknown> = {};
  let i = 0;
  for (; i < params.length; i++) {
    const value = params[i];
    if (isOptionsObject(value)) {
      options = value;
      i++;
      break;
    }
    if (i >= names.length) break;
    if (value !== undefined) positional[names[i]!] = value;
  }
  if (i < params.length && params.slice(i).some((p) => p !== undefined)) {
    const list = names.length > 0 ? `${names.join(', ')} and ` : '';
    throw new TypeError(
      `${cls.className}: takes ${list}an options object, got ${params.length} arguments (${params.map(describe).join(', ')}); ` +
        `Keras's other arguments go in the options object, e.g. { ${names.length > 0 ? names[names.length - 1] : 'name'}: … }`,
    );
  }
  for (const key of Object.keys(positional)) {
    // The same value both ways is what `fromConfig(config)` passes (`new Conv2D(config.filters, config)`).
    if (Object.hasOwn(options, key) && options[key] !== undefined && options[key] !== positional[key]) {
      throw new TypeError(`${cls.className}: \`${key}\` given twice, as an argument and in the options; give it once`);
    }
  }
  checkLayerOptions(cls, options);
  return { ...options, ...positional } as T;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value !== null && typeof value === 'object')
    return Object.getPrototypeOf(value) === Object.prototype ? 'an options object' : String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
