/**
 * `Cropping3D`: removes entries at both ends of the three spatial axes of a volume, as `keras.layers.Cropping3D`.
 */
import { registerLayer } from '../../engine/registry.js';
import { CroppingND, type CroppingArgs } from './cropping-nd.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Cropping3D}: `cropping` is `c`, `[d1, d2, d3]` or `[[start, end] ×3]` [1 everywhere, as Keras]. */
export type Cropping3DArgs = CroppingArgs;

/** Crops the three spatial axes of a 5-D input. */
export class Cropping3D extends CroppingND {
  static override readonly className: string = 'Cropping3D';
  static override readonly optionKeys: readonly string[] = [];

  constructor(cropping?: Cropping3DArgs['cropping'], dataFormat?: Cropping3DArgs['dataFormat'], args?: Cropping3DArgs);
  constructor(cropping?: Cropping3DArgs['cropping'], args?: Cropping3DArgs);
  constructor(args?: Cropping3DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<Cropping3DArgs>(new.target, params, ['cropping', 'dataFormat']);
    super(3, args, 1);
  }
}
registerLayer(Cropping3D);
