/**
 * Test support (not a test file): loads a Keras-made golden case (`model.keras` and
 * `model.h5`), predicts on its stored inputs and returns the largest difference per output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '../index.js';
import { loadModel } from '../../saving/index.js';
import { maxAbsDiff, readNpy } from './npy.test-suite.js';

/** The attention fixtures made by `fixtures/make_attention_goldens.py`. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** One case of `fixtures/cases.json`. */
export interface FixtureCase {
  name: string;
  models: string[];
  inputs: string[];
  outputs: string[];
  notes: string;
}

/** The fixture cases, by name. */
export function fixtureCase(name: string): FixtureCase {
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as FixtureCase[];
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture case ${name}`);
  return found;
}

/** Loads `dir/modelFile`, predicts on `inputs` and returns max |Strata − Keras| per output in `outputs`. */
export async function goldenDiffs(
  dir: string,
  modelFile: string,
  inputs: string[],
  outputs: string[],
): Promise<number[]> {
  const model = await loadModel(join(dir, modelFile));
  const xs = inputs.map((f) => readNpy(join(dir, f)));
  const ys = outputs.map((f) => readNpy(join(dir, f)));
  try {
    const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
    const list = Array.isArray(predicted) ? predicted : [predicted];
    if (list.length !== ys.length) throw new Error(`${modelFile}: ${list.length} outputs, Keras has ${ys.length}`);
    const diffs = list.map((p, i) => maxAbsDiff(p, ys[i]!));
    tf.dispose(list);
    return diffs;
  } finally {
    tf.dispose([...xs, ...ys]);
    model.dispose();
  }
}

/** The model files of a fixture case that exist. */
export function fixtureModels(c: FixtureCase): string[] {
  return c.models.filter((m) => existsSync(join(FIXTURES, c.name, m)));
}
