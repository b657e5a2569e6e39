/**
 * `readModelFile`: reads any supported model file and decodes it to the IR.
 *
 * @packageDocumentation
 */
import { decodeModelConfig, Keras1FormatError } from '../codecs/index.js';
import { checkModelGraph } from '../graph-check.js';
import type { ModelIR } from '../ir.js';
import { ModelFileError } from './errors.js';
import { readRawModelFile, type RawModelFile, type ReadModelFileOptions } from './raw-model-file.js';
import type { ModelFile, ModelFileFormat } from './types.js';

/**
 * Reads a model file — `.keras` zip, legacy `.h5`, Keras 3 `config.json`, Keras 2
 * `to_json()` output or TF.js `model.json` — recognising it by content, and decodes
 * its config to the IR. Weights are read only when `weights()` is called.
 * Never runs code from the file: only the config JSON is interpreted.
 *
 * @throws ModelFileError naming the file and the problem (missing, empty, truncated,
 *   corrupt, not a model, a config that does not decode, or a broken layer graph:
 *   dangling references or cycles)
 */
export async function readModelFile(path: string, options: ReadModelFileOptions = {}): Promise<ModelFile> {
  const raw = await readRawModelFile(path, options);
  const { format: configFormat, model } = decodeRawConfig(raw);
  checkGraph(raw, model);
  const format: ModelFileFormat =
    raw.container === 'keras-zip'
      ? 'keras-zip'
      : raw.container === 'keras-h5'
        ? 'keras-h5'
        : configFormat === 'keras3'
          ? 'keras3-config-json'
          : configFormat === 'keras2'
            ? 'keras2-json'
            : 'tfjs-model-json';
  const file: ModelFile = { path, format, config: raw.config, model };
  if (raw.metadata) file.metadata = raw.metadata;
  if (raw.weights) file.weights = raw.weights;
  if (raw.missingWeights !== undefined) file.missingWeights = raw.missingWeights;
  if (raw.assets) file.assets = raw.assets;
  return file;
}

function decodeRawConfig(raw: RawModelFile): { format: 'keras3' | 'keras2' | 'tfjs'; model: ModelIR } {
  try {
    const version = raw.metadata?.['keras_version'];
    return decodeModelConfig(raw.config, typeof version === 'string' ? version : undefined);
  } catch (cause) {
    // A Keras 1 file is a readable config from another era: say that, not "not a model config".
    if (cause instanceof Keras1FormatError) throw new ModelFileError(raw.path, cause.message);
    const where =
      raw.container === 'keras-zip'
        ? 'config.json'
        : raw.container === 'keras-h5'
          ? 'model_config'
          : 'the model config';
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ModelFileError(raw.path, `${where} is not a model config this reader understands: ${message}`);
  }
}

function checkGraph(raw: RawModelFile, model: ModelIR): void {
  try {
    checkModelGraph(model);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ModelFileError(raw.path, `the layer graph is broken: ${message}`);
  }
}
