/**
 * Model saving and loading: the model IR, Keras JSON, `.keras` archives, legacy `.h5`,
 * TF.js `model.json`, and weights files. Loading builds registered classes only.
 */
import './register-models.js';
import { registerModelSaver } from '../engine/model-saver.js';
import { modelToKerasJson } from './keras-json.js';
import { saveModel } from './model-file.js';
import { loadModelWeights, saveModelWeights } from './weights-file.js';

// `Model.save`/`saveWeights`/`loadWeights` call these through the engine's hook (the engine cannot
// import saving: saving builds models). The package index imports this file, so the hook is always set.
registerModelSaver({
  saveModel,
  saveModelWeights,
  loadModelWeights: (model, path) => loadModelWeights(model, path),
  modelToKerasJson,
});

export {
  ModelLoadError,
  KERAS_LAYERS_MODULE,
  kerasNamingOf,
  resolveLayerClass,
  type KerasClassNaming,
} from './class-lookup.js';
export { layerToIR, layerFromIR } from './layer-ir.js';
export { modelToIR, FUNCTIONAL_MODULE } from './model-to-ir.js';
export { modelFromIR, type ModelFromIROptions } from './model-from-ir.js';
export { modelToKerasJson, modelFromKerasJson } from './keras-json.js';
export { ModelFileError, DEFAULT_LOAD_LIMITS, type LoadLimits } from '@strata/graph';
export {
  saveModel,
  loadModel,
  kerasConfigOf,
  kerasMetadata,
  STRATA_VERSION,
  type LoadModelOptions,
} from './model-file.js';
export { saveModelWeights, loadModelWeights } from './weights-file.js';
export { kerasWeightSlots, kerasWeightObjects, ownVariables, type WeightSlot } from './weight-slots.js';
export { assignWeights, checkDeclaredWeights, kerasWeightEntries } from './assign-weights.js';
export { compileConfigOf, restoreCompile } from './compile-config.js';
export { registerModelClasses } from './register-models.js';
