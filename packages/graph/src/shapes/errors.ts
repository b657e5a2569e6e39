import type { Shape } from '../ir.js';

/** Writes a shape the way Keras users read it: `[null, 28, 28, 1]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((dim) => (dim === null ? 'null' : String(dim))).join(', ')}]`;
}

/** A layer cannot take the shapes it is given (or its config makes no sense for them). */
export class ShapeError extends Error {
  /** Name of the layer, as in the model. */
  readonly layerName: string;
  /** Keras class name of the layer. */
  readonly className: string;

  /**
   * @param layerName - the layer's name
   * @param className - the layer's Keras class
   * @param detail - what was expected and what was found
   */
  constructor(layerName: string, className: string, detail: string) {
    super(`Layer "${layerName}" (${className}): ${detail}`);
    this.name = 'ShapeError';
    this.layerName = layerName;
    this.className = className;
  }
}

/** Shape inference has no rule for a layer class (e.g. a custom layer). */
export class UnknownLayerError extends Error {
  /** The class without a rule. */
  readonly className: string;
  /** Name of the layer, when known. */
  readonly layerName: string | undefined;

  constructor(className: string, layerName?: string) {
    super(`${layerName === undefined ? '' : `Layer "${layerName}": `}no shape rule for layer class "${className}"`);
    this.name = 'UnknownLayerError';
    this.className = className;
    this.layerName = layerName;
  }
}
