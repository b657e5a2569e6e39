/**
 * `@strata/dropout`: the dropout toolkit on top of `@strata/core` — `DropoutConfig`, helpers that
 * fit dropout to convolutions and recurrent layers, policies that rewrite models through the IR,
 * the layers Keras lacks (DropBlock2D, StochasticDepth/DropPath, DropConnectDense,
 * WeightDropLSTM), Monte-Carlo dropout (`mcPredict`) and rate schedules (`DropoutScheduler`).
 *
 * @packageDocumentation
 */
export * from './config/dropout-config.js';
export * from './config/create-dropout-layer.js';
export * from './helpers/spatial-dropout-for.js';
export * from './helpers/set-recurrent-dropout.js';
export * from './policies/apply-dropout-policy.js';
export * from './policies/replace-conv-feature-map-dropout.js';
export { copyWeightsByName, insertOnEdge, rebuildModel } from './policies/ir-edit.js';
export * from './layers/drop-block-2d.js';
export * from './layers/stochastic-depth.js';
export * from './layers/drop-connect-dense.js';
export * from './layers/weight-drop-lstm.js';
export { DROPOUT_PACKAGE } from './layers/rate.js';
export * from './mc/mc-predict.js';
export { findDropoutLayers, isDropoutFamilyLayer, withTrainingOverride } from './mc/stochastic-layers.js';
export * from './schedule/dropout-scheduler.js';
