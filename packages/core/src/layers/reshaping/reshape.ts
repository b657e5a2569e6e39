/**
 * `Reshape`: gives the non-batch axes a new shape, as `keras.layers.Reshape`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/**
 * Reshapes `(batch, ...)` to `(batch, ...targetShape)`. One entry of `targetShape` may be
 * -1: it is inferred from the input size.
 */
export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  static override readonly optionKeys: readonly string[] = ['targetShape'];
  /** Target shape without the batch axis. */
  readonly targetShape: number[];

  constructor(targetShape: number[], args?: LayerArgs);
  constructor(args: LayerArgs & { targetShape: number[] });
  constructor(...params: unknown[]) {
    const { targetShape, ...args } = layerArgs<LayerArgs & { targetShape: number[] }>(new.target, params, [
      'targetShape',
    ]);
    super(args);
    const where = `Layer "${this.name}" (Reshape)`;
    if (!Array.isArray(targetShape) || !targetShape.every((d) => Number.isInteger(d) && (d > 0 || d === -1))) {
      throw new ConfigurationError(
        `${where}: targetShape must be a list of positive integers and at most one -1, got ${JSON.stringify(targetShape)}`,
      );
    }
    if (targetShape.filter((d) => d === -1).length > 1) {
      throw new ConfigurationError(
        `${where}: targetShape may contain -1 only once, got ${JSON.stringify(targetShape)}`,
      );
    }
    this.targetShape = [...targetShape];
  }

  /** The target shape with -1 resolved when the input size is known; throws when sizes cannot match. */
  private resolve(inputShape: Shape): (number | null)[] {
    const dims = inputShape.slice(1);
    const known = dims.every((d): d is number => d !== null);
    const inputSize = known ? dims.reduce((a, b) => a * b, 1) : null;
    const fixed = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknownIndex = this.targetShape.indexOf(-1);
    const fail = (): never => {
      throw new InputShapeError(
        `Layer "${this.name}" (Reshape): cannot reshape input of shape ${formatShape(inputShape)} ` +
          `(${String(inputSize)} values per sample) to target shape ${formatShape(this.targetShape)}`,
      );
    };
    if (inputSize === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (unknownIndex === -1) {
      if (fixed !== inputSize) fail();
      return [...this.targetShape];
    }
    if (fixed === 0 || inputSize % fixed !== 0) fail();
    return this.targetShape.map((d) => (d === -1 ? inputSize / fixed : d));
  }

  override build(inputShape: Shape): void {
    this.resolve(inputShape);
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const target = this.resolve(x.shape) as number[];
    return tf.tidy(() => tf.reshape(x, [x.shape[0]!, ...target]));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }

  static override fromConfig(config: LayerConfig): Reshape {
    return new Reshape(config['targetShape'] as number[], config as LayerArgs);
  }
}
registerLayer(Reshape);
