/**
 * `InputLayer` and `Input()`: the entry points of a model.
 */
import type { Shape } from '@strata/graph';
import { KerasTensor } from './keras-tensor.js';
import { Layer, type LayerConfig } from './layer.js';
import { registerLayer } from './registry.js';
import { checkLayerOptions } from './layer-options.js';
import type { LayerOutput, TensorOrList } from './shape-utils.js';
import { ConfigurationError } from '../utils/errors.js';

/** Options of {@link InputLayer}. */
export interface InputLayerArgs {
  /** Shape without the batch dimension. */
  shape?: (number | null)[];
  /** Fixed batch size (default unknown). */
  batchSize?: number;
  /** Full shape with the batch dimension (Keras 3 `batch_shape`). */
  batchShape?: (number | null)[];
  /** Keras 2 spelling of `batchShape`, accepted when loading old files. */
  batchInputShape?: (number | null)[];
  /** Input dtype (default `float32`). */
  dtype?: string;
  /** Sparse input (not supported; kept for config round trips). */
  sparse?: boolean;
  /** Keras 3's ragged-input flag, in its InputLayer configs (not supported; accepted for configs written by codegen). */
  ragged?: boolean;
  /** Keras 3's optional-input flag, in its InputLayer configs (not supported; accepted for configs written by codegen). */
  optional?: boolean;
  /** Layer name (default `input_layer`, `input_layer_1`, …). */
  name?: string;
}

/** The layer behind `Input()`: it holds the model input's shape and dtype. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly optionKeys: readonly string[] = [
    'shape',
    'batchShape',
    'batchInputShape',
    'sparse',
    'ragged',
    'optional',
  ];
  /** Shape with the batch dimension. */
  readonly batchShape: Shape;
  /** Whether the input is sparse (always false in Strata). */
  readonly sparse: boolean;
  /** The symbolic tensor this layer outputs. */
  readonly output: KerasTensor;

  constructor(args: InputLayerArgs = {}) {
    checkLayerOptions(new.target, args);
    const dtype = args.dtype ?? 'float32';
    super({ name: args.name, dtype });
    const batchShape =
      args.batchShape ?? args.batchInputShape ?? (args.shape ? [args.batchSize ?? null, ...args.shape] : undefined);
    if (batchShape === undefined) {
      throw new ConfigurationError(
        `InputLayer "${this.name}": give its shape, e.g. Input([28, 28, 1]) or new InputLayer({ shape: [784] })`,
      );
    }
    for (const d of batchShape) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new ConfigurationError(
          `InputLayer "${this.name}": shape entries must be non-negative integers or null, got [${batchShape.join(', ')}]`,
        );
      }
    }
    this.batchShape = batchShape;
    this.sparse = args.sparse ?? false;
    this.built = true;
    this.output = new KerasTensor(batchShape, dtype, this, 0, 0);
    this.inboundNodes.push({
      layer: this,
      index: 0,
      inputs: [],
      outputs: [this.output],
      inputsAsList: false,
      initialStateCount: 0,
      kwargs: {},
    });
  }

  call(inputs: TensorOrList): LayerOutput {
    return inputs;
  }

  override computeOutputShape(): Shape {
    return this.batchShape;
  }

  override getConfig(): LayerConfig {
    return { batchShape: [...this.batchShape], dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}
registerLayer(InputLayer);

/**
 * A symbolic model input, as `keras.Input(shape)`: `Input([28, 28, 1])`,
 * `Input({ shape: [28, 28, 1], name: 'image' })`, or Keras's positional
 * `Input([80], null, 'int32')` (shape, batch size, dtype).
 */
export function Input(shape: (number | null)[] | InputLayerArgs, options?: Omit<InputLayerArgs, 'shape'>): KerasTensor;
export function Input(
  shape: (number | null)[],
  batchSize: number | null,
  dtype?: InputLayerArgs['dtype'],
  options?: Omit<InputLayerArgs, 'shape' | 'batchSize' | 'dtype'>,
): KerasTensor;
export function Input(shape: (number | null)[] | InputLayerArgs, ...rest: unknown[]): KerasTensor {
  const named: Record<string, unknown> = {};
  let options: unknown = rest[0];
  if (typeof rest[0] === 'number' || rest[0] === null) {
    // Keras's positional form: Input(shape, batch_size, dtype), then the options.
    if (rest[0] !== null) named['batchSize'] = rest[0];
    const dtypeGiven = typeof rest[1] === 'string';
    if (dtypeGiven) named['dtype'] = rest[1];
    options = rest[dtypeGiven ? 2 : 1];
  }
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ConfigurationError(
      `Input: expected an options object ({ dtype, batchSize, name, … }) or Keras's positional (shape, batchSize, dtype), got ${JSON.stringify(options)}`,
    );
  }
  const args = Array.isArray(shape) ? { ...(options as object | undefined), ...named, shape } : shape;
  return new InputLayer(args as InputLayerArgs).output;
}
