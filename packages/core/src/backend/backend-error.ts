import { StrataError } from '../utils/errors.js';

/** Thrown when a requested backend cannot be loaded or its settings are invalid. */
export class BackendError extends StrataError {
  override name = 'BackendError';
}
