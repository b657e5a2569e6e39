/**
 * `Cropping2D`: removes rows and columns at the borders of an image, as `keras.layers.Cropping2D`.
 */
import type { DataFormat } from '../../engine/image-data-format.js';
import type { LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { CroppingND } from './cropping-nd.js';
import type { Spatial2DArg } from './tuple-args.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Cropping2D}. */
export interface Cropping2DArgs extends LayerArgs {
  /** `c`, `[h, w]` (symmetric) or `[[top, bottom], [left, right]]` [`[[0, 0], [0, 0]]`]. */
  cropping?: Spatial2DArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Crops the two spatial axes of a 4-D input. */
export class Cropping2D extends CroppingND {
  static override readonly className: string = 'Cropping2D';
  static override readonly optionKeys: readonly string[] = [];

  constructor(cropping?: Cropping2DArgs['cropping'], dataFormat?: Cropping2DArgs['dataFormat'], args?: Cropping2DArgs);
  constructor(cropping?: Cropping2DArgs['cropping'], args?: Cropping2DArgs);
  constructor(args?: Cropping2DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<Cropping2DArgs>(new.target, params, ['cropping', 'dataFormat']);
    super(2, args, 0);
  }
}
registerLayer(Cropping2D);
