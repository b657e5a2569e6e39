/**
 * `Embedding`: maps integer ids to dense vectors, as `keras.layers.Embedding`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Constraint, ConstraintIdentifier } from '../../constraints/index.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers/index.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import type { LayerVariable } from '../../engine/variable.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import {
  constraintConfig,
  initializerConfig,
  regularizerConfig,
  resolveConstraint,
  rejectQuantization,
  resolveRegularizer,
} from '../weight-options.js';
import { ConfigurationError, DataError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Embedding} (Keras defaults in brackets). */
export interface EmbeddingArgs extends LayerArgs {
  /** Initializer of the embedding matrix [`uniform`: RandomUniform(-0.05, 0.05)]. */
  embeddingsInitializer?: InitializerIdentifier;
  /** Penalty on the embedding matrix [none]. */
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Constraint on the embedding matrix [none]. */
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Treat id 0 as padding: output mask `input != 0` [false]. */
  maskZero?: boolean;
  /** Deprecated in Keras 3 and ignored; accepted so Keras 2 configs load. */
  inputLength?: number | null;
  /** Written as null by Keras ≥ 3.12; quantized (int8/int4/float8/GPTQ) layers are not supported. */
  quantizationConfig?: null;
}

/**
 * Turns integer ids of shape `(batch, ...)` into vectors: output `(batch, ..., outputDim)`.
 * Float inputs are cast to int32. With `maskZero`, id 0 is padding and the output mask is
 * `input != 0` (so `inputDim` should count the padding id).
 */
export class Embedding extends Layer {
  static override readonly className: string = 'Embedding';
  static override readonly optionKeys: readonly string[] = [
    'inputDim',
    'outputDim',
    'embeddingsInitializer',
    'embeddingsRegularizer',
    'embeddingsConstraint',
    'maskZero',
    'inputLength',
    'quantizationConfig',
  ];
  /** Vocabulary size (largest id + 1). */
  readonly inputDim: number;
  /** Size of each vector. */
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  /** Whether id 0 is masked out. */
  readonly maskZero: boolean;
  /** The `[inputDim, outputDim]` matrix, once built. */
  embeddings: LayerVariable | null = null;

  constructor(inputDim: number, outputDim: number, args?: EmbeddingArgs);
  constructor(args: EmbeddingArgs & { inputDim: number; outputDim: number });
  constructor(...params: unknown[]) {
    const { inputDim, outputDim, ...args } = layerArgs<EmbeddingArgs & { inputDim: number; outputDim: number }>(
      new.target,
      params,
      ['inputDim', 'outputDim'],
    );
    super(args);
    rejectQuantization(args, this.name, 'Embedding');
    for (const [key, value] of [
      ['inputDim', inputDim],
      ['outputDim', outputDim],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new ConfigurationError(
          `Layer "${this.name}" (Embedding): ${key} must be a positive integer, got ${String(value)}`,
        );
      }
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'uniform');
    this.embeddingsRegularizer = resolveRegularizer(args.embeddingsRegularizer);
    this.embeddingsConstraint = resolveConstraint(args.embeddingsConstraint);
    this.maskZero = args.maskZero ?? false;
    // Keras: supports_masking = mask_zero.
    this.supportsMasking = this.maskZero;
  }

  override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], {
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const ids = singleInput(inputs, this.name);
    const table = this.embeddings!.value;
    return tf.tidy(() => {
      const indices = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
      this.checkIds(indices);
      return tf.gather(table, indices);
    });
  }

  /** Out-of-range ids would read arbitrary memory on some backends; refuse them as TF's Keras does. */
  private checkIds(indices: tf.Tensor): void {
    if (indices.size === 0) return;
    const low = tf.min(indices).dataSync()[0]!;
    const high = tf.max(indices).dataSync()[0]!;
    if (low < 0 || high >= this.inputDim) {
      const bad = low < 0 ? low : high;
      throw new DataError(
        `Layer "${this.name}" (Embedding): id ${bad} is out of range; ids must be in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim})`,
      );
    }
  }

  /** `input != 0` when `maskZero`, else no mask (an incoming mask is replaced, as in Keras). */
  override computeMask(inputs: TensorOrList, _mask: CallContext['mask']): tf.Tensor | null {
    if (!this.maskZero) return null;
    return tf.notEqual(singleInput(inputs, this.name), 0);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializerConfig(this.embeddingsInitializer),
      embeddingsRegularizer: regularizerConfig(this.embeddingsRegularizer),
      // Keras's Embedding always writes `activity_regularizer` (null when unset).
      activityRegularizer: regularizerConfig(this.activityRegularizer),
      embeddingsConstraint: constraintConfig(this.embeddingsConstraint),
      maskZero: this.maskZero,
    };
  }

  static override fromConfig(config: LayerConfig): Embedding {
    return new Embedding(config['inputDim'] as number, config['outputDim'] as number, config as EmbeddingArgs);
  }
}
registerLayer(Embedding);
