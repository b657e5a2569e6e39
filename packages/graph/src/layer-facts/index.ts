/** The one table of per-class layer facts (kinds, ranks, parameter rules, build-at-init) and its queries. */
export type { LayerFacts, LayerKind, ParamRule } from './types.js';
export {
  layerFacts,
  canonicalClassName,
  layerFactsClassNames,
  layerKinds,
  layerKind,
  hasLayerKind,
  convRank,
  poolingRank,
  spatialDropoutRank,
  isConvolution,
  isPooling,
  isGlobalPooling,
  isNormalization,
  isBatchNormalization,
  isActivation,
  isMerge,
  isRecurrent,
  isDropoutFamily,
  isTransparent,
  isBuiltAtInit,
  hasWeightMatrices,
  hasRnnDropoutConfig,
} from './queries.js';
export { countLayerParams, type ParamCount } from './param-count.js';
