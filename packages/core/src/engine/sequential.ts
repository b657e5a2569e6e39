/**
 * `Sequential`: a plain stack of layers, as `keras.Sequential([...])`.
 */
import type { Shape } from '@strata/graph';
import { InputLayer } from './input-layer.js';
import { KerasTensor } from './keras-tensor.js';
import { Layer, isShapeList, type CallContext } from './layer.js';
import { Model } from './model.js';
import type { LayerOutput, TensorOrList } from './shape-utils.js';
import { ConfigurationError } from '../utils/errors.js';
import { checkOptionKeys } from '../utils/option-keys.js';

/** Options of {@link Sequential}. */
export interface SequentialArgs {
  /** Model name (default `sequential`, `sequential_1`, …). */
  name?: string;
  /** Whether the model's weights are trained (default true). */
  trainable?: boolean;
}

/**
 * A linear stack of layers. Give the input shape with `Input([...])` as the first element
 * (or `inputShape` on the first layer) to build it at once; otherwise it is built on first use.
 *
 * @example
 * ```ts
 * const model = new Sequential([
 *   Input([784]),
 *   new layers.Dense(64, { activation: 'relu' }),
 *   new layers.Dropout(0.2),
 *   new layers.Dense(10, { activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
 * ```
 */
export class Sequential extends Model<KerasTensor> {
  static override readonly className: string = 'Sequential';
  private stack: Layer[] = [];
  /** The stack's layers as a set: `add` checks membership without scanning (deep stacks stay linear). */
  private members = new Set<Layer>();
  private inputLayer: InputLayer | null = null;

  constructor(layers: (Layer | KerasTensor)[] = [], args: SequentialArgs = {}) {
    checkOptionKeys('Sequential', args, ['name', 'trainable']);
    super({ name: args.name, trainable: args.trainable });
    // As Keras: add every layer, then build the graph once (a rebuild per layer is quadratic).
    for (const layer of layers) this.add(layer, { rebuild: false });
    this.rebuild();
  }

  /**
   * Appends a layer (or an `Input()` tensor as the first element) and rebuilds when the input shape is known.
   *
   * @param options.rebuild - rebuild the graph now (default true); pass false when adding many
   *   layers in a row and rebuild once at the end (as Keras's `add(layer, rebuild=False)`)
   */
  add(layer: Layer | KerasTensor, options: { rebuild?: boolean } = {}): void {
    if (layer instanceof KerasTensor) {
      if (!(layer.sourceLayer instanceof InputLayer) || this.inputLayer !== null || this.stack.length > 0) {
        throw new ConfigurationError(`Sequential "${this.name}": an Input() tensor can only be the first element`);
      }
      this.inputLayer = layer.sourceLayer;
    } else if (layer instanceof InputLayer) {
      if (this.inputLayer !== null || this.stack.length > 0) {
        throw new ConfigurationError(`Sequential "${this.name}": an InputLayer can only be the first layer`);
      }
      this.inputLayer = layer;
    } else if (layer instanceof Layer) {
      if (this.members.has(layer))
        throw new ConfigurationError(`Sequential "${this.name}": layer "${layer.name}" is already in the model`);
      if (this.inputLayer === null && this.stack.length === 0 && layer.batchInputShape !== null) {
        this.inputLayer = new InputLayer({ batchShape: [...layer.batchInputShape] });
      }
      this.stack.push(layer);
      this.members.add(layer);
    } else {
      throw new ConfigurationError(`Sequential "${this.name}": expected a Layer, got ${String(layer)}`);
    }
    if (options.rebuild !== false) this.rebuild();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new ConfigurationError(`Sequential "${this.name}": there is no layer to pop`);
    this.members.delete(layer);
    this.rebuild();
    return layer;
  }

  /** The layers, without the InputLayer (as Keras's Sequential `model.layers`). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  protected override get summaryAsSequential(): boolean {
    return true;
  }

  /** The InputLayer, once the input shape is known. */
  get input(): InputLayer | null {
    return this.inputLayer;
  }

  private rebuild(): void {
    if (this.inputLayer === null || this.stack.length === 0) return;
    let x: KerasTensor = this.inputLayer.output;
    for (const layer of this.stack) {
      const out = layer.applyMulti(x);
      if (out.length !== 1) {
        throw new ConfigurationError(
          `Sequential "${this.name}": layer "${layer.name}" has ${out.length} outputs; Sequential layers must have one`,
        );
      }
      x = out[0]!;
    }
    this.initGraph(this.inputLayer.output, x);
  }

  override call(inputs: TensorOrList, context: CallContext): LayerOutput {
    if (this.inputLayer === null) {
      const first = Array.isArray(inputs) ? inputs[0] : inputs;
      if (first === undefined) throw new ConfigurationError(`Sequential "${this.name}": called without input`);
      this.inputLayer = new InputLayer({
        batchShape: [null, ...first.shape.slice(1)],
        dtype: first.dtype === 'int32' ? 'int32' : 'float32',
      });
      this.rebuild();
    }
    if (this.stack.length === 0) throw new ConfigurationError(`Sequential "${this.name}" has no layers`);
    return super.call(inputs, context);
  }

  /** Builds the model for an input shape (batch dimension included), as `model.build(input_shape)`. */
  override build(inputShape: Shape | Shape[]): void {
    if (isShapeList(inputShape))
      throw new ConfigurationError(`Sequential "${this.name}" has one input; got ${inputShape.length} shapes`);
    if (this.inputLayer === null) {
      this.inputLayer = new InputLayer({ batchShape: [...inputShape] });
      this.rebuild();
    }
  }
}
