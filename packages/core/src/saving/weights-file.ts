/**
 * `saveModelWeights` / `loadModelWeights`: Keras 3 `.weights.h5` files (the layout of
 * `model.weights.h5` inside a `.keras` archive); legacy weights-only `.h5` files load too.
 */
import { open } from 'node:fs/promises';
import { readModelFile, readWeightsFile, writeKerasWeightsFile } from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import { assignWeights, kerasWeightEntries } from './assign-weights.js';
import { kerasWeightSlots } from './weight-slots.js';
import { kerasConfigOf } from './model-file.js';

/**
 * Saves the model's weights as a Keras 3 `.weights.h5` file (`layers/<class>/vars/<i>`),
 * which Keras's `model.load_weights` reads. Atomic: temp file, then rename.
 *
 * @throws Error when the path does not end with `.weights.h5` (as Keras)
 */
export async function saveModelWeights(model: Functional, path: string): Promise<void> {
  if (!path.endsWith('.weights.h5')) {
    throw new Error(`The filename must end in ".weights.h5" (Keras's save_weights format), got "${path}"`);
  }
  const groups = kerasWeightSlots(model).map((slot) => ({ path: slot.path, name: slot.layer.name }));
  await writeKerasWeightsFile(path, kerasConfigOf(model), await kerasWeightEntries(model), groups);
}

/**
 * Loads weights into a built model from a Keras 3 `.weights.h5` or `.keras` archive (by
 * group path) or a legacy Keras 2 weights `.h5` (by layer name). All shapes are checked before any change.
 *
 * @throws ModelLoadError naming the layer and the expected and actual shapes
 */
export async function loadModelWeights(model: Functional, path: string): Promise<void> {
  const head = new Uint8Array(4);
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle !== undefined) {
    await handle.read(head, 0, 4, 0).finally(() => handle.close());
  }
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  // A `.keras` archive: take the weights from its model.weights.h5 (as Keras's load_weights does).
  const entries = isZip ? await ((await readModelFile(path)).weights?.() ?? Promise.resolve([])) : await readWeightsFile(path, kerasConfigOf(model));
  assignWeights(model, entries, path);
}
