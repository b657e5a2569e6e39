/**
 * The shared Keras goldens (`../shared/keras3-golden`, never copied into the repo): where they are,
 * the shape of `manifest.json`, and reading its `.npy` arrays as tensors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf } from '@strata/core';
import { parseNpy, type NpyArray } from '@strata/graph';

/** The golden folder, beside the repository (`<repo>/../shared/keras3-golden`). */
export const GOLDEN_DIR = resolve(import.meta.dirname, '../../../../shared/keras3-golden');

/** True when the goldens are present (absent in a fresh clone: the suites then skip visibly). */
export const HAVE_GOLDENS = existsSync(join(GOLDEN_DIR, 'manifest.json'));

/** Why the suites skip, printed once per suite when the goldens are absent. */
export const SKIP_REASON = `Keras goldens not found at ${GOLDEN_DIR}: Keras conformance suite SKIPPED`;

/** One model file of a case. */
export interface GoldenModelFile {
  file: string;
  format: 'keras-v3' | 'keras-legacy-h5';
  /** Set when Keras wrote the file but cannot read it back itself. */
  keras_reload_error?: string;
}

/** One stored array of a case. */
export interface GoldenArray {
  file: string;
  dtype: 'float32' | 'int32';
  shape: number[];
}

/** One prediction case. */
export interface GoldenCase {
  name: string;
  dir: string;
  tolerance_abs: number;
  notes: string;
  models: GoldenModelFile[];
  inputs: GoldenArray[];
  outputs: GoldenArray[];
}

/** One training run. */
export interface GoldenTraining {
  name: string;
  dir: string;
  init_model: string;
  x: string;
  y: string;
  optimizer: { class_name: string; config: Record<string, number | boolean> };
  loss: string;
  fit: { batch_size: number; epochs: number; shuffle: boolean; steps: number };
  keras_optimizer_iterations: number;
  keras_running_mean_loss_after_each_step: number[];
  final_weights: { file: string; path: string; shape: number[] }[];
  tolerance_abs: number;
}

/** `manifest.json`. */
export interface GoldenManifest {
  cases: GoldenCase[];
  training: GoldenTraining[];
}

/** The goldens committed beside this suite: `keras.ops` cases made by ops/make_ops_goldens.py. */
export const OPS_GOLDEN_DIR = resolve(import.meta.dirname, 'ops');

/**
 * The manifest of a golden folder (default: the shared goldens), or an empty one when the folder
 * is absent (so `it.each` still collects).
 */
export function readManifest(root: string = GOLDEN_DIR): GoldenManifest {
  if (!existsSync(join(root, 'manifest.json'))) return { cases: [], training: [] };
  return JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as GoldenManifest;
}

/** Absolute path of a manifest-relative path. */
export function goldenPath(relative: string, root: string = GOLDEN_DIR): string {
  return join(root, relative);
}

/** Reads a manifest-relative `.npy` file. */
export function readNpy(relative: string, root: string = GOLDEN_DIR): NpyArray {
  return parseNpy(readFileSync(goldenPath(relative, root)), relative);
}

/** Reads a manifest-relative `.npy` file as a tensor of its dtype and shape. */
export function npyTensor(relative: string, root: string = GOLDEN_DIR): tf.Tensor {
  const a = readNpy(relative, root);
  return tf.tensor(a.data, a.shape, a.dtype);
}

/** Largest absolute difference between two equally long arrays (NaN anywhere counts as Infinity). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cannot compare arrays of ${a.length} and ${b.length} values`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}
