/**
 * `Cropping3D`: removes entries at both ends of the three spatial axes of a volume, as `keras.layers.Cropping3D`.
 */
import { registerLayer } from '../../engine/registry.js';
import { CroppingND, type CroppingArgs } from './cropping-nd.js';

/** Options of {@link Cropping3D}: `cropping` is `c`, `[d1, d2, d3]` or `[[start, end] ×3]` [1 everywhere, as Keras]. */
export type Cropping3DArgs = CroppingArgs;

/** Crops the three spatial axes of a 5-D input. */
export class Cropping3D extends CroppingND {
  static override readonly className: string = 'Cropping3D';

  constructor(args: Cropping3DArgs = {}) {
    super(3, args, 1);
  }
}
registerLayer(Cropping3D);
