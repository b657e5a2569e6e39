/**
 * The layer registry: the only classes a loaded config can build. Loading a model
 * never turns file content into code; unknown class names are an error.
 */
import type { Layer, LayerClass, LayerConfig } from './layer.js';
import { ConfigurationError } from '../utils/errors.js';
import { buildingFromFile } from './layer-options.js';

const registry = new Map<string, LayerClass>();

/**
 * Registers a layer class under its Keras class name (built-ins) or under
 * `"package>ClassName"` (custom layers, as Keras's `register_keras_serializable`).
 */
export function registerLayer(cls: LayerClass, options: { package?: string } = {}): void {
  const key = options.package ? `${options.package}>${cls.className}` : cls.className;
  registry.set(key, cls);
  // Custom classes are also found by their bare class name, as Keras's `custom_objects`.
  if (options.package && !registry.has(cls.className)) registry.set(cls.className, cls);
}

/** The registered class for a class name or registered name, or undefined. */
export function getLayerClass(name: string): LayerClass | undefined {
  return registry.get(name);
}

/**
 * The class a config names, by Keras 3's rule: a `registered_name` that is null, empty or the
 * class name itself means the class name; any other `registered_name` must be a registered
 * `"package>Name"` key. A built-in is never used in place of an unknown registered name
 * (`file:///x>Dense` is not `Dense`), as Keras refuses that too.
 */
export function findLayerClass(className: string, registeredName: string | null | undefined): LayerClass | undefined {
  if (registeredName && registeredName !== className) {
    return registeredName.includes('>') ? registry.get(registeredName) : undefined;
  }
  return registry.get(className);
}

/** Names of all registered classes. */
export function registeredLayerNames(): string[] {
  return [...registry.keys()].sort();
}

/** Builds a layer from its class name and camelCase config; unknown classes are an error. */
export function layerFromConfig(className: string, config: LayerConfig, registeredName?: string | null): Layer {
  const cls = findLayerClass(className, registeredName);
  if (cls === undefined) {
    const named =
      registeredName && registeredName !== className
        ? `"${className}" (registered name "${registeredName}")`
        : `"${className}"`;
    throw new ConfigurationError(
      `Unknown layer class ${named}, which is not registered. Only registered classes can be loaded; ` +
        `register custom layers with registerLayer(MyLayer, { package: 'my_package' }). ` +
        `Registered: ${registeredLayerNames().join(', ')}`,
    );
  }
  // Configs from files may carry keys the runtime ignores on purpose: not refused here.
  return buildingFromFile(() => cls.fromConfig(config));
}
