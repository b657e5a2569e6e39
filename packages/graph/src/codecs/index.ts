/** Codecs between the Strata model IR and Keras 3 / Keras 2 / TF.js model configs. */
export { ModelFormatError } from './errors.js';
export { decodeKeras3Config, encodeKeras3Config } from './keras3.js';
export { decodeKeras2Json, encodeKeras2Json } from './keras2.js';
export { Keras1FormatError, keras1Evidence } from './keras1.js';
export { decodeTfjsModelJson, encodeTfjsModelTopology } from './tfjs.js';
export { decodeModelConfig, detectModelConfigFormat, type ModelConfigFormat } from './detect.js';
export { upgradeToKeras3 } from './upgrade-keras3.js';
export { downgradeToKeras2 } from './downgrade-keras2.js';
export { LEGACY_HARD_SIGMOID, withLegacyActivations, writtenBeforeKeras3 } from './legacy-activations.js';
