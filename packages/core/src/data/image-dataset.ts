/**
 * `imageDatasetFromDirectory`: Keras's `keras.utils.image_dataset_from_directory` for Node,
 * decoding PNG and JPEG in pure JS.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { makeDirectoryDataset, type DirectoryDataset } from './directory-dataset.js';
import { channelsOf, decodeImage, type ColorMode } from './image-decode.js';
import { indexForDataset, type DirectoryDatasetOptions } from './text-dataset.js';
import { ConfigurationError } from '../utils/errors.js';

/** The extensions Keras indexes (`.bmp` and `.gif` are listed but cannot be decoded by Strata). */
const IMAGE_FORMATS = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];

/** Options of {@link imageDatasetFromDirectory} (Keras defaults in brackets). */
export interface ImageDatasetOptions extends DirectoryDatasetOptions {
  /** `[height, width]` every image is resized to [256, 256]. */
  imageSize?: readonly [number, number];
  /** Channels: `grayscale` 1, `rgb` 3, `rgba` 4 [`rgb`]. */
  colorMode?: ColorMode;
  /** Resizing method, as `tf.image.resize` [`bilinear`]. */
  interpolation?: 'bilinear' | 'nearest';
  /** Refuse images with more pixels than this before decoding them [2²⁷]. */
  maxPixels?: number;
}

/**
 * Reads a folder of images into a dataset, as Keras's `image_dataset_from_directory`: with
 * inferred labels, `directory/<class>/…/*.png|jpg|jpeg`, classes in alphanumeric order. Samples
 * `x` are float32 `[batch, height, width, channels]` in 0–255, resized to `imageSize` with
 * half-pixel-centre bilinear (or nearest) interpolation as `tf.image.resize`. Files are
 * listed and split as Keras does (same seed, same files in each subset).
 *
 * @returns one dataset, or `[training, validation]` with `subset: 'both'`
 */
export async function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetOptions & { subset: 'both' },
): Promise<[DirectoryDataset, DirectoryDataset]>;
export async function imageDatasetFromDirectory(
  directory: string,
  options?: ImageDatasetOptions,
): Promise<DirectoryDataset>;
export async function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetOptions = {},
): Promise<DirectoryDataset | [DirectoryDataset, DirectoryDataset]> {
  const [height, width] = options.imageSize ?? [256, 256];
  if (![height, width].every((d) => Number.isInteger(d) && d > 0))
    throw new ConfigurationError(
      `imageSize must be two positive integers [height, width], got ${JSON.stringify(options.imageSize)}`,
    );
  const colorMode = options.colorMode ?? 'rgb';
  const channels = channelsOf(colorMode);
  const interpolation = options.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest')
    throw new ConfigurationError(`interpolation must be "bilinear" or "nearest", got ${JSON.stringify(interpolation)}`);
  const maxPixels = options.maxPixels ?? 2 ** 27;
  const { splits, classNames, labelMode, batchSize } = await indexForDataset(
    directory,
    options,
    IMAGE_FORMATS,
    'image',
  );
  const loadOne = async (path: string): Promise<tf.Tensor3D> => {
    const image = decodeImage(new Uint8Array(await readFile(path)), path, colorMode, maxPixels);
    return tf.tidy(() => {
      const pixels = tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, channels]);
      return interpolation === 'bilinear'
        ? tf.image.resizeBilinear(pixels, [height, width], false, true)
        : tf.image.resizeNearestNeighbor(pixels, [height, width], false, true);
    });
  };
  const load = async (paths: readonly string[]): Promise<tf.Tensor> => {
    const images: tf.Tensor3D[] = [];
    try {
      for (const path of paths) images.push(await loadOne(path));
      return tf.stack(images);
    } finally {
      tf.dispose(images);
    }
  };
  const datasets = splits.map((split) => makeDirectoryDataset({ ...split, classNames, labelMode, batchSize, load }));
  return options.subset === 'both' ? [datasets[0]!, datasets[1]!] : datasets[0]!;
}
