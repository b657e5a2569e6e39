/**
 * The projections inside `MultiHeadAttention` (Keras builds them as `EinsumDense` sublayers
 * named `query`, `key`, `value`, `attention_output` and, with `use_gate`, `gate`): the last
 * `boundDims` axes of the input are contracted with a kernel `[...bound, ...out]` and a bias
 * `[...out]` is added. Not a registered layer: it only exists inside its parent.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Constraint } from '../../constraints/index.js';
import { Initializer, VarianceScaling } from '../../initializers/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import type { LayerVariable } from '../../engine/variable.js';
import type { Regularizer } from '../../regularizers/index.js';
import { InputShapeError } from '../../utils/errors.js';

/** Options of {@link EinsumProjection}. */
export interface EinsumProjectionArgs extends LayerArgs {
  /** How many trailing input axes the kernel contracts (1 for q/k/v, 2 for the output). */
  boundDims: number;
  /** Sizes of the output's trailing axes, e.g. `[numHeads, keyDim]`. */
  outputDims: number[];
  useBias: boolean;
  /** `sigmoid` for the gate of gated attention; linear otherwise. */
  sigmoid?: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  biasConstraint: Constraint | null;
}

/**
 * Keras's `EinsumDense` gives variance-scaling initializers the fans of the kernel's input and
 * output axes (`input_axes`/`output_axes`); drawing the kernel flat as `[prod(in), prod(out)]`
 * and reshaping gives exactly those fans.
 */
class FlatFansInitializer extends Initializer {
  readonly className: string;
  constructor(
    private readonly inner: Initializer,
    private readonly flatShape: [number, number],
  ) {
    super();
    this.className = inner.className;
  }
  call(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.tidy(() => tf.reshape(this.inner.call(this.flatShape, dtype), shape));
  }
  getConfig(): Record<string, unknown> {
    return this.inner.getConfig();
  }
}

/** One projection of a multi-head attention layer (Keras `EinsumDense` with `_build_proj_equation`). */
export class EinsumProjection extends Layer {
  static override readonly className: string = 'EinsumDense';
  readonly boundDims: number;
  readonly outputDims: number[];
  readonly useBias: boolean;
  readonly sigmoid: boolean;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private readonly options: EinsumProjectionArgs;

  constructor(args: EinsumProjectionArgs) {
    super(args);
    this.boundDims = args.boundDims;
    this.outputDims = [...args.outputDims];
    this.useBias = args.useBias;
    this.sigmoid = args.sigmoid ?? false;
    this.options = args;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const bound = shape.slice(shape.length - this.boundDims);
    if (shape.length <= this.boundDims || bound.some((d) => d === null)) {
      throw new InputShapeError(
        `Layer "${this.name}" (EinsumDense): the last ${this.boundDims} axes of the input must be known, got shape ${formatShape(shape)}`,
      );
    }
    const inDims = bound as number[];
    const kernelShape = [...inDims, ...this.outputDims];
    const fans: [number, number] = [inDims.reduce((a, b) => a * b, 1), this.outputDims.reduce((a, b) => a * b, 1)];
    const init = this.options.kernelInitializer;
    this.kernel = this.addWeight('kernel', kernelShape, {
      initializer: init instanceof VarianceScaling ? new FlatFansInitializer(init, fans) : init,
      regularizer: this.options.kernelRegularizer,
      constraint: this.options.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [...this.outputDims], {
        initializer: this.options.biasInitializer,
        regularizer: this.options.biasRegularizer,
        constraint: this.options.biasConstraint,
      });
    }
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const kernel = this.kernel!.value;
    return tf.tidy(() => {
      const free = x.shape.slice(0, x.rank - this.boundDims);
      const inSize = x.shape.slice(x.rank - this.boundDims).reduce((a, b) => a * b, 1);
      const outSize = this.outputDims.reduce((a, b) => a * b, 1);
      const flat = tf.matMul(
        tf.reshape(x, [-1, inSize]) as tf.Tensor2D,
        tf.reshape(kernel, [inSize, outSize]) as tf.Tensor2D,
      );
      let y: tf.Tensor = tf.reshape(flat, [...free, ...this.outputDims]);
      if (this.bias !== null) y = tf.add(y, this.bias.value);
      return this.sigmoid ? tf.sigmoid(y) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [...shape.slice(0, shape.length - this.boundDims), ...this.outputDims];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), outputDims: [...this.outputDims], boundDims: this.boundDims };
  }
}
