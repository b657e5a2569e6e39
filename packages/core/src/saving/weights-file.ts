/**
 * `saveModelWeights` / `loadModelWeights`: Keras 3 `.weights.h5` files (the layout of
 * `model.weights.h5` inside a `.keras` archive); legacy weights-only `.h5` files load too.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { readModelFile, readWeightsFile, writeKerasWeightsFile, type LoadLimits, type WeightInfo } from '@strata/graph';
import type { Functional } from '../engine/functional.js';
import { assignWeights, checkDeclaredWeights, kerasWeightEntries } from './assign-weights.js';
import { kerasConfigOf } from './model-file.js';
import { kerasWeightObjects } from './weight-slots.js';
import { ConfigurationError } from '../utils/errors.js';

/**
 * Saves the model's weights as a Keras 3 `.weights.h5` file (`layers/<class>/vars/<i>`),
 * which Keras's `model.load_weights` reads. Atomic: temp file, then rename.
 *
 * @throws Error when the path does not end with `.weights.h5` (as Keras)
 */
export async function saveModelWeights(model: Functional, path: string): Promise<void> {
  if (!path.endsWith('.weights.h5')) {
    throw new ConfigurationError(`The filename must end in ".weights.h5" (Keras's save_weights format), got "${path}"`);
  }
  await writeKerasWeightsFile(path, kerasConfigOf(model), await kerasWeightEntries(model), kerasWeightObjects(model));
}

/**
 * Loads weights into a built model from a Keras 3 `.weights.h5` or `.keras` archive (by
 * group path) or a legacy Keras 2 weights `.h5` (by layer name). All shapes are checked before any change.
 *
 * @param options - size limits for an untrusted file (see {@link LoadLimits})
 * @throws ModelLoadError naming the layer and the expected and actual shapes
 */
export async function loadModelWeights(
  model: Functional,
  path: string,
  options: { limits?: Partial<LoadLimits> } = {},
): Promise<void> {
  const head = new Uint8Array(4);
  // Non-blocking, so a FIFO cannot hang here; the readers below refuse anything but regular files.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (handle !== undefined) {
    // A FIFO or device cannot be read at an offset; leave it to the readers below to refuse.
    await handle
      .read(head, 0, 4, 0)
      .catch(() => undefined)
      .finally(() => handle.close());
  }
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  // A `.keras` archive: take the weights from its model.weights.h5 (as Keras's load_weights does).
  // Declared shapes are compared with the model before any array is read.
  const check = { ...options, check: (declared: readonly WeightInfo[]) => checkDeclaredWeights(model, declared, path) };
  const entries = isZip
    ? await ((await readModelFile(path, options)).weights?.(check) ?? Promise.resolve([]))
    : await readWeightsFile(path, kerasConfigOf(model), check);
  assignWeights(model, entries, path);
}
