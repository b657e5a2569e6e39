/**
 * Makes layer instances callable objects whose call throws a clear error. Keras code calls
 * layers, `Dense(10)(x)`; ported to Strata as `layer(x)`, a plain object would fail with
 * JavaScript's "(intermediate value) is not a function", which says nothing about the fix.
 *
 * How: the constructor of this base returns an arrow function whose prototype is the class's
 * prototype, so `instanceof`, methods, getters and the subclasses' fields all work as on an
 * object (fields of derived classes are defined on what `super()` returned). The function's
 * own `name` and `length` are removed so that layer fields of those names are plain data
 * properties. What differs from an object: `typeof layer === 'function'` and
 * `JSON.stringify(layer)` gives `undefined` (layers are serialized with `getConfig`).
 */

/** What the thrown message needs of the instance. */
interface Describable {
  readonly className?: string;
  readonly name?: unknown;
}

/** The message of the TypeError thrown when a layer is called as a function. */
export function notCallableMessage(target: Describable): string {
  const className = target.className ?? 'Layer';
  const name = typeof target.name === 'string' ? ` "${target.name}"` : '';
  const isModel = className === 'Functional' || className === 'Sequential';
  const instead = isModel ? 'model.apply(x) (or model.predict(x) for values)' : 'layer.apply(x)';
  return `${className}${name} is not a function; in Strata use ${instead} (Keras's layer(x))`;
}

/**
 * Base class whose instances are callable objects that throw a TypeError pointing to
 * `apply` when called. `Layer` extends it; nothing else should.
 */
export abstract class CallableLayerBase {
  constructor() {
    const instance = (..._args: unknown[]): never => {
      throw new TypeError(notCallableMessage(instance as unknown as Describable));
    };
    // Arrow functions own only `length` and `name` (both configurable) and no `prototype`.
    delete (instance as { length?: number }).length;
    delete (instance as { name?: string }).name;
    Object.setPrototypeOf(instance, new.target.prototype);
    return instance as unknown as CallableLayerBase;
  }
}
