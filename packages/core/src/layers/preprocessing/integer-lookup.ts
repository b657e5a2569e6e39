/**
 * `IntegerLookup`: maps integers to contiguous indices (or encodings), as `keras.layers.IntegerLookup`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { IndexLookup, type IndexLookupArgs } from './index-lookup.js';
import { layerArgs } from '../../engine/layer-options.js';
import { ConfigurationError, DataError } from '../../utils/errors.js';

/** Options of {@link IntegerLookup} (Keras defaults in brackets; `oovToken` [-1]). */
export interface IntegerLookupArgs extends IndexLookupArgs<number> {
  /** Only `int64` (Keras's only choice); integers are int32 tensors in TF.js. */
  vocabularyDtype?: 'int64';
}

/**
 * Maps integer tokens to indices: `[mask]`, the OOV indices (several OOV indices are chosen by
 * `token mod numOovIndices`), then the vocabulary (given or learned by `await layer.adapt(data)`).
 * Output int32 indices or a float32 encoding; with `invert`, indices back to the tokens.
 */
export class IntegerLookup extends IndexLookup<number> {
  static override readonly className: string = 'IntegerLookup';
  static override readonly optionKeys: readonly string[] = ['vocabularyDtype'];

  constructor(maxTokens?: number | null, numOovIndices?: number, args?: IntegerLookupArgs);
  constructor(maxTokens?: number | null, args?: IntegerLookupArgs);
  constructor(args?: IntegerLookupArgs);
  constructor(...params: unknown[]) {
    // Keras's leading positional arguments: IntegerLookup(max_tokens, num_oov_indices).
    const args = layerArgs<IntegerLookupArgs>(new.target, params, ['maxTokens', 'numOovIndices']);
    super(args, { oovToken: -1 });
    if ((args.vocabularyDtype ?? 'int64') !== 'int64') {
      throw new ConfigurationError(
        `Layer "${this.name}" (IntegerLookup): only vocabularyDtype "int64" is supported, got "${String(args.vocabularyDtype)}"`,
      );
    }
  }

  protected toToken(value: unknown): number {
    const token = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(token)) {
      throw new DataError(
        `Layer "${this.name}" (IntegerLookup): tokens must be integers, got ${JSON.stringify(value)}`,
      );
    }
    return token;
  }

  protected invertedDtype(): string {
    return 'int32';
  }

  protected invertedTensor(values: number[], shape: number[]): tf.Tensor {
    return tf.tensor(Int32Array.from(values), shape, 'int32');
  }

  override getConfig(): LayerConfig {
    const config = super.getConfig();
    // Keras's IntegerLookup keeps `vocabulary_dtype` after `pad_to_max_tokens`.
    const out: LayerConfig = {};
    for (const [key, value] of Object.entries(config)) {
      out[key] = value;
      if (key === 'padToMaxTokens') out['vocabularyDtype'] = 'int64';
    }
    return out;
  }

  static override fromConfig(config: LayerConfig): IntegerLookup {
    return new IntegerLookup(config as IntegerLookupArgs);
  }
}
registerLayer(IntegerLookup);
