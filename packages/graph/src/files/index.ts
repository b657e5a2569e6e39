/**
 * Model-file readers and writers: `.keras` zips, legacy `.h5`, Keras JSON and TF.js
 * `model.json` + shards. h5wasm is loaded only when an HDF5 file is touched.
 *
 * @packageDocumentation
 */
export type { ModelFile, ModelFileFormat, WeightEntry, WeightInfo, ReadWeightsOptions } from './types.js';
export { DEFAULT_LOAD_LIMITS, type LoadLimits } from './limits.js';
export { ModelFileError } from './errors.js';
export { sniffContainer, findHdf5Signature, type ContainerKind } from './sniff.js';
export { readModelFile } from './read-model-file.js';
export {
  readRawModelFile,
  readWeightsFile,
  type RawModelFile,
  type RawContainer,
  type ReadModelFileOptions,
} from './raw-model-file.js';
export {
  writeKerasArchive,
  writeKerasWeightsFile,
  kerasWeightPaths,
  KERAS_FORMAT_VERSION,
  type KerasArchiveContents,
  type KerasWeightObject,
} from './write-keras-archive.js';
export { readKerasAssets, assetPathProblem, ASSETS_DIRNAME } from './keras-assets.js';
export { writeModelConfigFile } from './write-model-config.js';
export { writeFileAtomic } from './atomic-write.js';
export { kerasSnakeCase, kerasLayerGroups, type KerasLayerGroup } from './keras-naming.js';
export { kerasVariableGroups, hasKnownVariables, type KerasVariableGroup } from './keras3-variables.js';
export { placeWeightsForKeras3, hasKeras3Paths } from './place-weights.js';
export { convertToKeras3Archive, keras3ModelOf, type ConversionReport } from './convert-model-file.js';
export { convertToTfjsModel } from './write-tfjs-model.js';
export { encodeNpy, parseNpy, type NpyArray } from './npy.js';
export { openZipArchive, writeZip, type ZipArchive, type ZipMemberInfo } from './zip.js';
