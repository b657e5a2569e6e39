/**
 * `StringLookup`: maps strings to integer indices (or encodings), as `keras.layers.StringLookup`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { IndexLookup, type IndexLookupArgs } from './index-lookup.js';
import { layerArgs } from '../../engine/layer-options.js';
import { ConfigurationError } from '../../utils/errors.js';

/** Options of {@link StringLookup} (Keras defaults in brackets). */
export interface StringLookupArgs extends IndexLookupArgs<string> {
  /** Text encoding of the tokens [`utf-8`]; only UTF-8 is supported. */
  encoding?: string;
}

/**
 * Maps string tokens to indices: `[mask]`, the OOV indices, then the vocabulary (given or
 * learned by `await layer.adapt(data)`). Input: a string tensor (`tf.tensor(['a', 'b'])`);
 * output int32 indices, or a float32 `one_hot`/`multi_hot`/`count`/`tf_idf` encoding;
 * with `invert`, indices back to a string tensor. The vocabulary is saved in the config when
 * given, else as the `.keras` asset `vocabulary.txt`, as Keras does.
 */
export class StringLookup extends IndexLookup<string> {
  static override readonly className: string = 'StringLookup';
  static override readonly optionKeys: readonly string[] = ['encoding'];
  /** Text encoding of the tokens (UTF-8). */
  readonly encoding: string;

  constructor(maxTokens?: number | null, numOovIndices?: number, args?: StringLookupArgs);
  constructor(maxTokens?: number | null, args?: StringLookupArgs);
  constructor(args?: StringLookupArgs);
  constructor(...params: unknown[]) {
    // Keras's leading positional arguments: StringLookup(max_tokens, num_oov_indices).
    const args = layerArgs<StringLookupArgs>(new.target, params, ['maxTokens', 'numOovIndices']);
    super(args, { oovToken: '[UNK]' });
    this.encoding = args.encoding ?? 'utf-8';
    if (this.encoding.toLowerCase().replace('_', '-') !== 'utf-8') {
      throw new ConfigurationError(
        `Layer "${this.name}" (StringLookup): only encoding "utf-8" is supported, got "${this.encoding}"`,
      );
    }
  }

  protected toToken(value: unknown): string {
    return value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
  }

  protected invertedDtype(): string {
    return 'string';
  }

  protected invertedTensor(values: string[], shape: number[]): tf.Tensor {
    return tf.tensor(values, shape, 'string');
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), encoding: this.encoding };
  }

  static override fromConfig(config: LayerConfig): StringLookup {
    return new StringLookup(config as StringLookupArgs);
  }
}
registerLayer(StringLookup);
