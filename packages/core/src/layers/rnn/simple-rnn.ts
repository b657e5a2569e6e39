/**
 * `SimpleRNN(units)`, as Keras 3: a fully connected recurrent layer.
 */
import type { JsonObject } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { CellArgs } from './cell-options.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { flattenCellConfig, splitRecurrentArgs } from './recurrent-layer.js';
import { RNN, type RNNArgs } from './rnn.js';
import { acceptedOptionKeys, layerArgs } from '../../engine/layer-options.js';

/** Options of {@link SimpleRNN}: the cell's options and the RNN's. */
export type SimpleRNNArgs = CellArgs & RNNArgs;

/** A recurrent layer running a {@link SimpleRNNCell} over the time axis. */
export class SimpleRNN extends RNN {
  static override readonly className: string = 'SimpleRNN';
  static override readonly optionKeys: readonly string[] = acceptedOptionKeys(SimpleRNNCell) ?? [];
  declare readonly cell: SimpleRNNCell;

  constructor(units: number, activation?: SimpleRNNArgs['activation'], args?: SimpleRNNArgs);
  constructor(units: number, args?: SimpleRNNArgs);
  constructor(args: SimpleRNNArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<SimpleRNNArgs & { units: number }>(new.target, params, [
      'units',
      'activation',
    ]);
    const { cellArgs, rnnArgs } = splitRecurrentArgs(args, 'simple_rnn_cell');
    super(new SimpleRNNCell(units, cellArgs), rnnArgs);
    this.inputSpec = { ndim: 3 };
  }

  /** Number of units. */
  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return { ...this.rnnConfig(), ...flattenCellConfig(this.cell.getConfig()) };
  }

  /** As Keras's SimpleRNN.get_config: the cell's options without its `seed` (LSTM and GRU write it); the runtime config keeps it. */
  override kerasConfig(): JsonObject {
    const { seed: _seed, ...config } = super.kerasConfig();
    return config;
  }

  static override fromConfig(config: LayerConfig): SimpleRNN {
    return new SimpleRNN(config['units'] as number, config as SimpleRNNArgs);
  }
}
registerLayer(SimpleRNN);
