/**
 * `ZeroPadding2D`: pads the rows and columns of an image with zeros, as `keras.layers.ZeroPadding2D`.
 */
import { registerLayer } from '../../engine/registry.js';
import type { DataFormat } from '../../engine/image-data-format.js';
import type { LayerArgs } from '../../engine/layer.js';
import type { Spatial2DArg } from './tuple-args.js';
import { ZeroPaddingND } from './zero-padding-nd.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** `p`, `[h, w]` (symmetric) or `[[top, bottom], [left, right]]` [`[1, 1]`]. */
  padding?: Spatial2DArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Adds rows of zeros at the top and bottom and columns at the left and right of a 4-D input. */
export class ZeroPadding2D extends ZeroPaddingND {
  static override readonly className: string = 'ZeroPadding2D';
  static override readonly optionKeys: readonly string[] = [];

  constructor(
    padding?: ZeroPadding2DArgs['padding'],
    dataFormat?: ZeroPadding2DArgs['dataFormat'],
    args?: ZeroPadding2DArgs,
  );
  constructor(padding?: ZeroPadding2DArgs['padding'], args?: ZeroPadding2DArgs);
  constructor(args?: ZeroPadding2DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ZeroPadding2DArgs>(new.target, params, ['padding', 'dataFormat']);
    super(2, args);
  }
}
registerLayer(ZeroPadding2D);
