/**
 * `TimeDistributed(layer)`, as Keras 3: applies a layer to every time step of a
 * `(batch, time, ...)` input, with the same weights at every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, isShapeList, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { deserializeLayer, serializeLayer } from './cell-serialization.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Applies the wrapped layer to each time slice. */
export class TimeDistributed extends Layer {
  static override readonly className: string = 'TimeDistributed';
  static override readonly optionKeys: readonly string[] = ['layer'];
  readonly layer: Layer;

  constructor(layer: Layer, args?: LayerArgs);
  constructor(args: LayerArgs & { layer: Layer });
  constructor(...params: unknown[]) {
    const { layer, ...args } = layerArgs<LayerArgs & { layer: Layer }>(new.target, params, ['layer']);
    super(args);
    if (!(layer instanceof Layer))
      throw new ConfigurationError(
        `Layer "${this.name}" (TimeDistributed): expected a layer to wrap, got ${String(layer)}`,
      );
    this.layer = this.trackLayer(layer);
    this.supportsMasking = true;
    this.inputSpec = { minNdim: 3 };
  }

  private innerShape(shape: Shape): Shape {
    if (shape.length < 3)
      throw new InputShapeError(
        `Layer "${this.name}" (TimeDistributed): expected input of rank ≥ 3 (batch, time, ...), got ${formatShape(shape)}`,
      );
    return [null, ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (isShapeList(inputShape) ? inputShape[0] : inputShape) as Shape;
    this.layer.maybeBuild(this.innerShape(shape));
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const [batch, time, ...rest] = x.shape as number[];
      const flat = tf.reshape(x, [batch! * time!, ...rest]);
      const out = this.layer.invoke(flat, { training: context.training });
      const single = singleInput(out, this.layer.name);
      return tf.reshape(single, [batch!, time!, ...single.shape.slice(1)]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (isShapeList(inputShape) ? inputShape[0] : inputShape) as Shape;
    const inner = this.layer.computeOutputShape(this.innerShape(shape));
    if (isShapeList(inner))
      throw new ConfigurationError(`Layer "${this.name}" (TimeDistributed): the wrapped layer must have one output`);
    return [shape[0] ?? null, shape[1] ?? null, ...inner.slice(1)];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  static override fromConfig(config: LayerConfig): TimeDistributed {
    const { layer, ...rest } = config;
    return new TimeDistributed(deserializeLayer(layer, 'TimeDistributed config "layer"'), rest);
  }
}
registerLayer(TimeDistributed);
