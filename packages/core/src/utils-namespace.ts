/**
 * The `utils` namespace of `@strata/core`, as Keras's `keras.utils`: the data helpers and the
 * plots of models and training histories.
 *
 * @packageDocumentation
 */
export * from './data/keras-utils.js';
export {
  plotModel,
  plotHistory,
  type ModelPlotOptions,
  type HistoryPlotOptions,
  type HistoryData,
} from './visualization/plot.js';
