/**
 * `ZeroPadding3D`: pads the three spatial axes of a volume with zeros, as `keras.layers.ZeroPadding3D`.
 */
import { registerLayer } from '../../engine/registry.js';
import { ZeroPaddingND, type ZeroPaddingArgs } from './zero-padding-nd.js';

/** Options of {@link ZeroPadding3D}: `padding` is `p`, `[d1, d2, d3]` or `[[start, end] ×3]` [1 everywhere]. */
export type ZeroPadding3DArgs = ZeroPaddingArgs;

/** Adds zeros before and after each spatial axis of a 5-D input. */
export class ZeroPadding3D extends ZeroPaddingND {
  static override readonly className: string = 'ZeroPadding3D';

  constructor(args: ZeroPadding3DArgs = {}) {
    super(3, args);
  }
}
registerLayer(ZeroPadding3D);
