/**
 * `GRU(units)`, as Keras 3 (Cho et al., 2014): `resetAfter` true by default, variational `dropout` / `recurrentDropout`.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';

import { GRUCell, type GRUCellArgs } from './gru-cell.js';
import { flattenCellConfig, splitRecurrentArgs } from './recurrent-layer.js';
import { RNN, type RNNArgs } from './rnn.js';
import { acceptedOptionKeys, layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GRU}: the cell's options and the RNN's. */
export type GRUArgs = GRUCellArgs & RNNArgs;

/** A recurrent layer running a {@link GRUCell} over the time axis. */
export class GRU extends RNN {
  static override readonly className: string = 'GRU';
  static override readonly optionKeys: readonly string[] = acceptedOptionKeys(GRUCell) ?? [];
  declare readonly cell: GRUCell;

  constructor(units: number, activation?: GRUArgs['activation'], args?: GRUArgs);
  constructor(units: number, args?: GRUArgs);
  constructor(args: GRUArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<GRUArgs & { units: number }>(new.target, params, ['units', 'activation']);
    const { cellArgs, rnnArgs } = splitRecurrentArgs(args, 'gru_cell');
    super(new GRUCell(units, cellArgs), rnnArgs);
    this.inputSpec = { ndim: 3 };
  }

  /** Number of units. */
  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return { ...this.rnnConfig(), ...flattenCellConfig(this.cell.getConfig()) };
  }

  static override fromConfig(config: LayerConfig): GRU {
    return new GRU(config['units'] as number, config as GRUArgs);
  }
}
registerLayer(GRU);
