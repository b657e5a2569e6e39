/**
 * `ActivityRegularization({l1, l2})`, as Keras 3: identity that adds
 * `(l1·Σ|x| + l2·Σx²) / batch` to the loss.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { L1L2 } from '../../regularizers/index.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ActivityRegularization}. */
export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** L1 factor (default 0). */
  l1?: number;
  /** L2 factor (default 0). */
  l2?: number;
}

/** Adds an activity penalty on its input to the loss; passes the input through. */
export class ActivityRegularization extends Layer {
  static override readonly className: string = 'ActivityRegularization';
  static override readonly optionKeys: readonly string[] = ['l1', 'l2'];
  readonly l1: number;
  readonly l2: number;

  constructor(l1?: number, l2?: number, args?: ActivityRegularizationArgs);
  constructor(l1?: number, args?: ActivityRegularizationArgs);
  constructor(args?: ActivityRegularizationArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ActivityRegularizationArgs>(new.target, params, ['l1', 'l2']);
    const l1 = args.l1 ?? 0;
    const l2 = args.l2 ?? 0;
    super({ ...args, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList): tf.Tensor {
    return singleInput(inputs, this.name);
  }

  override getConfig(): LayerConfig {
    const { activityRegularizer: _dropped, ...base } = super.getConfig();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}
registerLayer(ActivityRegularization);
