/**
 * The autoencoder and the noise of Keras's "Convolutional autoencoder for image denoising"
 * (keras.io/examples/vision/autoencoder).
 */
import { Input, Model, layers, tf } from '@strata/core';

/** Normalizes (already in [0, 1] in the `mnist` package) and reshapes flat images into `[n, 28, 28, 1]`. */
export function preprocess(images: Float32Array, count: number): tf.Tensor4D {
  return tf.tensor4d(images, [count, 28, 28, 1]);
}

/** Adds Gaussian noise (`noiseFactor` · N(0, 1)) to each image, clipped to [0, 1]. */
export function noise(array: tf.Tensor4D, noiseFactor = 0.4, seed?: number): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.clipByValue(
        tf.add(array, tf.mul(noiseFactor, tf.randomNormal(array.shape, 0, 1, 'float32', seed))),
        0,
        1,
      ) as tf.Tensor4D,
  );
}

/** Conv2D/MaxPooling2D encoder (28→14→7), Conv2DTranspose decoder (7→14→28), sigmoid Conv2D output. */
export function buildAutoencoder(filters = 32): Model {
  const input = Input([28, 28, 1]);

  // Encoder
  let x = new layers.Conv2D(filters, { kernelSize: [3, 3], activation: 'relu', padding: 'same' }).apply(input);
  x = new layers.MaxPooling2D({ poolSize: [2, 2], padding: 'same' }).apply(x);
  x = new layers.Conv2D(filters, { kernelSize: [3, 3], activation: 'relu', padding: 'same' }).apply(x);
  x = new layers.MaxPooling2D({ poolSize: [2, 2], padding: 'same' }).apply(x);

  // Decoder
  x = new layers.Conv2DTranspose(filters, {
    kernelSize: [3, 3],
    strides: 2,
    activation: 'relu',
    padding: 'same',
  }).apply(x);
  x = new layers.Conv2DTranspose(filters, {
    kernelSize: [3, 3],
    strides: 2,
    activation: 'relu',
    padding: 'same',
  }).apply(x);
  x = new layers.Conv2D(1, { kernelSize: [3, 3], activation: 'sigmoid', padding: 'same' }).apply(x);

  // Autoencoder
  const autoencoder = new Model(input, x);
  autoencoder.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return autoencoder;
}

/** Draws a 28×28 image in the terminal with a few grey levels (Keras's example plots with matplotlib). */
export function asciiImage(pixels: ArrayLike<number>): string[] {
  const shades = ' .:-=+*#%@';
  const rows: string[] = [];
  for (let r = 0; r < 28; r += 2) {
    let line = '';
    for (let c = 0; c < 28; c++) {
      // Two rows per line keeps the aspect ratio of a terminal cell.
      const v = Math.max(pixels[r * 28 + c]!, pixels[(r + 1) * 28 + c]!);
      line += shades[Math.min(shades.length - 1, Math.floor(v * shades.length))];
    }
    rows.push(line);
  }
  return rows;
}
