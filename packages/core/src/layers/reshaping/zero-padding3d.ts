/**
 * `ZeroPadding3D`: pads the three spatial axes of a volume with zeros, as `keras.layers.ZeroPadding3D`.
 */
import { registerLayer } from '../../engine/registry.js';
import { ZeroPaddingND, type ZeroPaddingArgs } from './zero-padding-nd.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ZeroPadding3D}: `padding` is `p`, `[d1, d2, d3]` or `[[start, end] ×3]` [1 everywhere]. */
export type ZeroPadding3DArgs = ZeroPaddingArgs;

/** Adds zeros before and after each spatial axis of a 5-D input. */
export class ZeroPadding3D extends ZeroPaddingND {
  static override readonly className: string = 'ZeroPadding3D';
  static override readonly optionKeys: readonly string[] = [];

  constructor(
    padding?: ZeroPadding3DArgs['padding'],
    dataFormat?: ZeroPadding3DArgs['dataFormat'],
    args?: ZeroPadding3DArgs,
  );
  constructor(padding?: ZeroPadding3DArgs['padding'], args?: ZeroPadding3DArgs);
  constructor(args?: ZeroPadding3DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ZeroPadding3DArgs>(new.target, params, ['padding', 'dataFormat']);
    super(3, args);
  }
}
registerLayer(ZeroPadding3D);
