/**
 * Model-file readers and writers: `.keras` zips, legacy `.h5`, Keras JSON and TF.js
 * `model.json` + shards. h5wasm is loaded only when an HDF5 file is touched.
 *
 * @packageDocumentation
 */
export type { ModelFile, ModelFileFormat, WeightEntry } from './types.js';
export { ModelFileError } from './errors.js';
export { sniffContainer, findHdf5Signature, type ContainerKind } from './sniff.js';
export { readModelFile } from './read-model-file.js';
export { readRawModelFile, readWeightsFile, type RawModelFile, type RawContainer, type ReadModelFileOptions } from './raw-model-file.js';
export { writeKerasArchive, writeKerasWeightsFile, kerasWeightPaths, KERAS_FORMAT_VERSION, type KerasArchiveContents, type KerasObjectGroup } from './write-keras-archive.js';
export { writeModelConfigFile } from './write-model-config.js';
export { writeFileAtomic } from './atomic-write.js';
export { kerasSnakeCase, kerasLayerGroups, type KerasLayerGroup } from './keras-naming.js';
