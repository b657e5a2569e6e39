/**
 * Which class a config may build, and how a class is named in a Keras 3 file.
 * Loading only ever looks classes up in the registry; `module` and any other
 * field of a file are never imported, evaluated or called.
 */
import { findLayerClass, getLayerClass, registeredLayerNames } from '../engine/registry.js';
import type { Layer, LayerClass } from '../engine/layer.js';
import { OpLayer } from '../layers/ops/op-layer.js';
import { StrataError } from '../utils/errors.js';

/** Keras 3 `module` of built-in layers (`keras.layers.Dense` → `keras.layers`). */
export const KERAS_LAYERS_MODULE = 'keras.layers';

/** Error for a model file (or config) that cannot be loaded safely or correctly. */
export class ModelLoadError extends StrataError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

/** How a layer class appears in a Keras 3 config: `module` and `registered_name`. */
export interface KerasClassNaming {
  module: string;
  registeredName: string | null;
}

/**
 * The Keras 3 naming of a layer: built-ins get `keras.layers` and `registered_name`
 * null; classes registered with a package get `"package>Name"` and the package as module.
 *
 * @throws ModelLoadError when the class is not registered (it could not be loaded back)
 */
export function kerasNamingOf(layer: Layer): KerasClassNaming {
  // A keras.ops call: Keras writes its op module and the class name as registered_name.
  if (layer instanceof OpLayer) return { module: layer.kerasModule, registeredName: layer.className };
  const cls = layer.constructor as unknown as LayerClass;
  for (const key of registeredLayerNames()) {
    if (key.includes('>') && getLayerClass(key) === cls) {
      return { module: key.slice(0, key.indexOf('>')), registeredName: key };
    }
  }
  if (getLayerClass(cls.className) === cls) return { module: KERAS_LAYERS_MODULE, registeredName: null };
  throw new ModelLoadError(
    `Layer "${layer.name}" has class "${cls.className}", which is not registered, so a saved model could not be loaded back. ` +
      `Register custom layers with registerLayer(${cls.className}, { package: 'my_package' }).`,
  );
}

/**
 * The registered class a config names, or a clear error. `Lambda` (Python code in the
 * file) is refused outright; so is anything not registered, and a `registered_name` other
 * than null or the class name that is not a registered `"package>Name"` (see {@link findLayerClass}).
 */
export function resolveLayerClass(
  className: string,
  registeredName: string | null | undefined,
  layerName: string,
): LayerClass {
  const where = `Layer "${layerName}"`;
  if (className === 'Lambda' || className === '__lambda__' || className === 'function') {
    throw new ModelLoadError(
      `${where} has class "${className}": it holds Python code, which Strata never loads or runs. ` +
        `Replace it with a custom layer class and register it with registerLayer(MyLayer, { package: 'my_package' }).`,
    );
  }
  const cls = findLayerClass(className, registeredName);
  if (cls === undefined) {
    const custom = registeredName && registeredName !== className;
    const named = custom ? `"${className}" (registered name "${registeredName}")` : `"${className}"`;
    const pkg =
      custom && registeredName.includes('>') ? registeredName.slice(0, registeredName.indexOf('>')) : 'my_package';
    throw new ModelLoadError(
      `${where} has class ${named}, which is not registered. Only registered classes are built when loading` +
        `${custom ? ', and a built-in class is never used in place of a registered name' : ''}; ` +
        `custom classes must be registered with registerLayer(${className}, { package: ${JSON.stringify(pkg)} }) before loading.`,
    );
  }
  return cls;
}
