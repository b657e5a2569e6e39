/**
 * `LSTM(units)`, as Keras 3 (Hochreiter & Schmidhuber, 1997), with variational `dropout` / `recurrentDropout`.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';

import { LSTMCell, type LSTMCellArgs } from './lstm-cell.js';
import { flattenCellConfig, splitRecurrentArgs } from './recurrent-layer.js';
import { RNN, type RNNArgs } from './rnn.js';
import { acceptedOptionKeys, layerArgs } from '../../engine/layer-options.js';

/** Options of {@link LSTM}: the cell's options and the RNN's. */
export type LSTMArgs = LSTMCellArgs & RNNArgs;

/**
 * A recurrent layer running a {@link LSTMCell} over the time axis.
 *
 * @example
 * ```ts
 * const lstm = new layers.LSTM(64, { returnSequences: true, dropout: 0.2, recurrentDropout: 0.2 });
 * const sequence = lstm.apply(Input([100, 8])); // shape [null, 100, 64]
 * ```
 */
export class LSTM extends RNN {
  static override readonly className: string = 'LSTM';
  static override readonly optionKeys: readonly string[] = acceptedOptionKeys(LSTMCell) ?? [];
  declare readonly cell: LSTMCell;

  constructor(units: number, activation?: LSTMArgs['activation'], args?: LSTMArgs);
  constructor(units: number, args?: LSTMArgs);
  constructor(args: LSTMArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<LSTMArgs & { units: number }>(new.target, params, ['units', 'activation']);
    const { cellArgs, rnnArgs } = splitRecurrentArgs(args, 'lstm_cell');
    super(new LSTMCell(units, cellArgs), rnnArgs);
    this.inputSpec = { ndim: 3 };
  }

  /** Number of units. */
  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return { ...this.rnnConfig(), ...flattenCellConfig(this.cell.getConfig()) };
  }

  static override fromConfig(config: LayerConfig): LSTM {
    return new LSTM(config['units'] as number, config as LSTMArgs);
  }
}
registerLayer(LSTM);
