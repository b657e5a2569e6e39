/**
 * Types shared by the model-file readers and writers.
 *
 * @packageDocumentation
 */
import type { JsonObject, ModelIR } from '../ir.js';
import type { LoadLimits } from './limits.js';

/** Which kind of model file was read. */
export type ModelFileFormat = 'keras-zip' | 'keras-h5' | 'keras3-config-json' | 'keras2-json' | 'tfjs-model-json';

/** One weight tensor read from (or to be written to) a model file. */
export interface WeightEntry {
  /**
   * Where the tensor lives in its file: an HDF5 dataset path for Keras files
   * (`layers/dense/vars/0`, or `dense/kernel:0` for legacy `.h5`), the manifest
   * name for TF.js (`dense/kernel`).
   */
  path: string;
  /** Name of the layer that owns the tensor, when the file says so. */
  layerName?: string;
  /** Tensor shape (`[]` for a scalar). */
  shape: number[];
  /** Element type as stored in the file, e.g. `float32`, `float16`, `int64`, `uint8`. */
  dtype: string;
  /** Values, row-major; floats widen/narrow to `Float32Array`, integers to `Int32Array`. */
  data: Float32Array | Int32Array;
}

/** A weight as a file declares it (path, owner, shape, dtype), before its values are read. */
export type WeightInfo = Omit<WeightEntry, 'data'>;

/** Options for reading the weights of a model file. */
export interface ReadWeightsOptions {
  /** Size limits; defaults to the limits the file was opened with (see {@link LoadLimits}). */
  limits?: Partial<LoadLimits>;
  /**
   * Called with every weight the file declares before any value is read (e.g. to compare
   * shapes with the model that will receive them); throw to refuse the file.
   */
  check?: (declared: readonly WeightInfo[]) => void;
}

/** A model file, decoded. */
export interface ModelFile {
  /** The path the file was read from. */
  path: string;
  /** What kind of file it is, decided from its content (not its extension). */
  format: ModelFileFormat;
  /**
   * The model config JSON as stored: `config.json` of a `.keras` archive, the
   * `model_config` attribute of a legacy `.h5`, or the whole JSON file.
   */
  config: JsonObject;
  /** The decoded model. */
  model: ModelIR;
  /** Other JSON stored beside the config (`metadata.json`, `training_config`), when present. */
  metadata?: JsonObject;
  /**
   * Reads the weights stored with (or beside) the model, when there are any. Declared
   * sizes are checked against the limits (and `check`) before any value is read.
   */
  weights?: (options?: ReadWeightsOptions) => Promise<WeightEntry[]>;
  /**
   * Why a file whose format carries weights has none (e.g. a `.keras` archive without
   * `model.weights.h5`); absent when the weights are there or the format has none.
   */
  missingWeights?: string;
  /**
   * Reads the files of a `.keras` archive's `assets/` folder (a lookup layer's `vocabulary.txt`),
   * keyed by their path inside `assets/`; absent when the file has none. Only the paths `wanted`
   * accepts are inflated; every name is checked as a plain relative path and sizes against the
   * limits before anything is inflated.
   */
  assets?: (wanted?: (path: string) => boolean) => Map<string, Uint8Array>;
}
