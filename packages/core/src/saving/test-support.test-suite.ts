/**
 * Test support for the saving tests (not a test file): a small custom layer registered
 * with a package, and helpers to compare predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../engine/layer.js';
import { registerLayer } from '../engine/registry.js';
import type { TensorOrList } from '../engine/shape-utils.js';

/** `x * scale + offset` per feature: one trainable and one non-trainable weight. */
export class ScaleOffset extends Layer {
  static override readonly className = 'ScaleOffset';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.addWeight('scale', [features], { initializer: 'random_normal' });
    this.addWeight('offset', [features], { initializer: 'random_normal', trainable: false });
  }
  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [scale, offset] = this.weights;
    return tf.tidy(() => tf.add(tf.mul(x, scale!.value), offset!.value));
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
  override getConfig(): LayerConfig {
    return super.getConfig();
  }
}
registerLayer(ScaleOffset, { package: 'strata_test' });

/** Runs the model on `x` and returns plain numbers (the output tensor is disposed). */
export function predictValues(model: Layer, x: tf.Tensor): number[] {
  // tidy: an eager model call may keep intermediate tensors; they are not what these tests measure.
  return tf.tidy(() => Array.from((model.apply(x) as tf.Tensor).dataSync()));
}

/** A wrapper holding sublayers in named properties, as RNN (`cell`) and Bidirectional (`forwardLayer`, `backwardLayer`) do. */
export class TwoWay extends Layer {
  static override readonly className = 'TwoWay';
  readonly forwardLayer: ScaleOffset;
  readonly backwardLayer: ScaleOffset;
  constructor(args: LayerArgs = {}) {
    super(args);
    this.forwardLayer = this.trackLayer(new ScaleOffset({ name: `${this.name}_forward` }));
    this.backwardLayer = this.trackLayer(new ScaleOffset({ name: `${this.name}_backward` }));
  }
  override build(inputShape: Shape): void {
    this.addWeight('mix', [], { initializer: 'ones' });
    this.forwardLayer.maybeBuild(inputShape);
    this.backwardLayer.maybeBuild(inputShape);
  }
  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const f = this.forwardLayer.call(x, context) as tf.Tensor;
      const b = this.backwardLayer.call(x, context) as tf.Tensor;
      return tf.mul(tf.add(f, b), this.weights[0]!.value);
    });
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
registerLayer(TwoWay, { package: 'strata_test' });
