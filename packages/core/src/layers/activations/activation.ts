/**
 * `Activation`: applies an activation function, as `keras.layers.Activation`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationIdentifier,
} from '../../activations/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Applies an activation (by Keras name such as `"relu"`, or a function) elementwise; masks pass through. */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  static override readonly optionKeys: readonly string[] = ['activation'];
  /** The activation function. */
  readonly activation: ActivationFn;
  private readonly activationName: string;

  constructor(activation: ActivationIdentifier, args?: LayerArgs);
  constructor(args: LayerArgs & { activation: ActivationIdentifier });
  constructor(...params: unknown[]) {
    const { activation, ...args } = layerArgs<LayerArgs & { activation: ActivationIdentifier }>(new.target, params, [
      'activation',
    ]);
    super(args);
    this.activation = getActivation(activation);
    this.activationName = serializeActivation(activation);
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => this.activation(x));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activationName };
  }

  static override fromConfig(config: LayerConfig): Activation {
    return new Activation(config['activation'] as string, config as LayerArgs);
  }
}
registerLayer(Activation);
