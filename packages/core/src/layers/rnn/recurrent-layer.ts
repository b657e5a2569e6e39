/**
 * What `SimpleRNN`, `LSTM` and `GRU` share: the layer takes the cell's options at the top level
 * (as Keras), builds its own cell and flattens the cell's config into its own.
 */
import type { LayerConfig } from '../../engine/layer.js';
import type { CellArgs } from './cell-options.js';
import type { RNNArgs } from './rnn.js';

/** Keys of {@link RNNArgs} that belong to the layer, not the cell. */
const RNN_KEYS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchSize',
  'activityRegularizer',
] as const;

/** Splits a recurrent layer's options into the cell's and the RNN's. */
export function splitRecurrentArgs<T extends CellArgs>(
  args: T & RNNArgs,
  cellName: string,
): { cellArgs: T; rnnArgs: RNNArgs } {
  const cellArgs: Record<string, unknown> = { ...(args as Record<string, unknown>), name: cellName };
  const rnnArgs: Record<string, unknown> = {};
  for (const key of RNN_KEYS) {
    if (key in args) rnnArgs[key] = (args as Record<string, unknown>)[key];
    if (key !== 'dtype' && key !== 'trainable' && key !== 'name') delete cellArgs[key];
  }
  cellArgs['name'] = cellName;
  return { cellArgs: cellArgs as T, rnnArgs: rnnArgs as RNNArgs };
}

/** The cell's config without its own name/trainable/dtype, to merge into the layer's config. */
export function flattenCellConfig(cellConfig: LayerConfig): LayerConfig {
  const { name: _name, trainable: _trainable, dtype: _dtype, ...rest } = cellConfig;
  return rest;
}
