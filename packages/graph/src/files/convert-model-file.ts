/**
 * `convertToKeras3Archive`: any readable model file → a Keras 3 `.keras` archive, without
 * building the model (no TF.js): the config is brought into Keras 3 form and the weights are
 * placed at the paths Keras 3 uses.
 *
 * @packageDocumentation
 */
import { encodeKeras3Config } from '../codecs/keras3.js';
import { upgradeToKeras3 } from '../codecs/upgrade-keras3.js';
import type { JsonObject, ModelIR } from '../ir.js';
import { kerasVariableGroups } from './keras3-variables.js';
import { placeWeightsForKeras3 } from './place-weights.js';
import type { ModelFile, WeightEntry } from './types.js';
import { KERAS_FORMAT_VERSION, writeKerasArchive } from './write-keras-archive.js';

/** What a conversion did, for the user. */
export interface ConversionReport {
  /** Number of weight arrays written. */
  weights: number;
  /** Changes in meaning, or things that could not be carried over. */
  notes: string[];
}

function kerasDateSaved(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/** The Keras 3 model and config of a file (a `.keras` file's config is kept verbatim). */
export function keras3ModelOf(file: ModelFile): { model: ModelIR; config: JsonObject; notes: string[] } {
  if (file.format === 'keras-zip' || file.format === 'keras3-config-json')
    return { model: file.model, config: file.config, notes: [] };
  const { model, notes } = upgradeToKeras3(file.model);
  if (file.model.compileConfig !== undefined || file.metadata?.['training_config'] !== undefined) {
    // Keras 2's training_config names optimizers and losses in a form Keras 3's compile() does not take.
    delete model.compileConfig;
    notes.push('the training config of the Keras 2 / TF.js file is not carried over: compile the loaded model again');
  }
  return { model, config: encodeKeras3Config(model), notes };
}

/**
 * Writes `file` as a Keras 3 `.keras` archive at `target` (atomically: temp file, then rename).
 *
 * @throws ModelFileError when the weights cannot be read or do not fit the model's variables,
 *   or the target cannot be written
 */
export async function convertToKeras3Archive(file: ModelFile, target: string): Promise<ConversionReport> {
  const { model, config, notes } = keras3ModelOf(file);
  const stored: WeightEntry[] = file.weights ? await file.weights() : [];
  const weights = placeWeightsForKeras3(model, stored, file.path);
  const keepVersion = file.format === 'keras-zip' && typeof file.metadata?.['keras_version'] === 'string';
  const metadata: JsonObject = {
    keras_version: keepVersion ? (file.metadata!['keras_version'] as string) : KERAS_FORMAT_VERSION,
    date_saved: kerasDateSaved(new Date()),
  };
  const objects = kerasVariableGroups(model).map((group) => ({ path: group.path, name: group.name }));
  // A .keras source keeps its assets (a lookup layer's vocabulary.txt) at the same paths.
  const assets = file.assets?.();
  await writeKerasArchive(target, {
    config,
    metadata,
    weights,
    objects,
    ...(assets && assets.size > 0 ? { assets } : {}),
  });
  return { weights: weights.length, notes };
}
