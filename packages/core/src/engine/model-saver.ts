/**
 * The hook through which `Model.save`/`saveWeights`/`loadWeights`/`toJson` reach the saving code.
 *
 * Why a hook: saving builds models (it depends on the engine), so the engine must not import it
 * back. `saving/index.ts` registers its functions here when it is imported, which the package
 * index (`@strata/core`) always does.
 */
import type { Functional } from './functional.js';
import { StrataError } from '../utils/errors.js';

/** The file operations a model delegates to the saving code. */
export interface ModelSaver {
  saveModel(model: Functional, path: string): Promise<void>;
  saveModelWeights(model: Functional, path: string): Promise<void>;
  loadModelWeights(model: Functional, path: string): Promise<void>;
  modelToKerasJson(model: Functional): string;
}

let registered: ModelSaver | null = null;

/** @internal Called once by `saving/index.ts`; a later call replaces the earlier one. */
export function registerModelSaver(saver: ModelSaver): void {
  registered = saver;
}

/** @internal The registered saver; fails clearly when the saving code was never loaded. */
export function modelSaver(method: string): ModelSaver {
  if (registered === null) {
    throw new StrataError(
      `Model.${method}: the saving code is not loaded; import '@strata/core' (its index registers it) rather than engine files alone`,
    );
  }
  return registered;
}
