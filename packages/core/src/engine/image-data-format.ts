/**
 * Keras's global image data format (`keras.config.image_data_format()`): the one place
 * layers read their `dataFormat` default from.
 */
import { ConfigurationError } from '../utils/errors.js';

/** Where the channels axis of image-like tensors is. */
export type DataFormat = 'channels_last' | 'channels_first';

/** The valid data formats, for error messages. */
export const DATA_FORMATS: readonly DataFormat[] = ['channels_last', 'channels_first'];

let current: DataFormat = 'channels_last';

/** The global default data format (Keras default `channels_last`). */
export function imageDataFormat(): DataFormat {
  return current;
}

/** Sets the global default data format, as `keras.config.set_image_data_format`. */
export function setImageDataFormat(format: DataFormat): void {
  current = checkDataFormat(format, 'setImageDataFormat');
}

function checkDataFormat(value: string, where: string): DataFormat {
  const lower = value.toLowerCase();
  if (lower !== 'channels_last' && lower !== 'channels_first') {
    throw new ConfigurationError(`${where}: invalid dataFormat "${value}"; valid choices: ${DATA_FORMATS.join(', ')}`);
  }
  return lower;
}

/**
 * A layer's `dataFormat` argument resolved as Keras's `standardize_data_format`:
 * `null`/`undefined` → the global default; other values lower-cased and checked.
 * `where` names the layer in the error.
 */
export function standardizeDataFormat(value: string | null | undefined, where: string): DataFormat {
  if (value === null || value === undefined) return current;
  return checkDataFormat(value, where);
}
