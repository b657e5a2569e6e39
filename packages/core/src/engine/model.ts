/**
 * `Model`: a functional model with training (`compile`, `fit`, `evaluate`, `predict`).
 * PLACEHOLDER — the training helper extends this class with the training API.
 */
import { Functional, type FunctionalArgs } from './functional.js';
import type { LayerArgs } from './layer.js';

/** A functional model, as `keras.Model({inputs, outputs})`. */
export class Model extends Functional {
  static override readonly className: string = 'Functional';
  constructor(args: Partial<FunctionalArgs> & LayerArgs = {}) {
    super(args);
  }
}
