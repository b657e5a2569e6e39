/**
 * `TextVectorization`: turns strings into token indices or bag-of-words encodings, as
 * `keras.layers.TextVectorization` (standardize → split → ngrams → `StringLookup`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { adaptBatches, batchValues, flatValues, nestedShape, tensorValues, type AdaptData } from './adapt-data.js';
import type { LookupOutputMode } from './index-lookup.js';
import { StringLookup } from './string-lookup.js';
import { layerArgs } from '../../engine/layer-options.js';
import { ConfigurationError, DataError, InputShapeError } from '../../utils/errors.js';

/** Text standardization before splitting. */
export type TextStandardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
/** How text is split into tokens. */
export type TextSplit = 'whitespace' | 'character' | null;

/** Options of {@link TextVectorization} (Keras defaults in brackets). */
export interface TextVectorizationArgs extends LayerArgs {
  /** Largest vocabulary size, the mask `''` and OOV `[UNK]` tokens included [null: no limit]. */
  maxTokens?: number | null;
  /** Standardization [`lower_and_strip_punctuation`]; ASCII letters are lowered, as TF's `strings.lower`. */
  standardize?: TextStandardize;
  /** Splitting [`whitespace`]. */
  split?: TextSplit;
  /** n-grams: an integer n (1..n) or a list of widths [null]. */
  ngrams?: number | readonly number[] | null;
  /** Output encoding [`int`]. */
  outputMode?: Exclude<LookupOutputMode, 'one_hot'> | 'binary' | 'tf-idf';
  /** In `int` mode, pad or cut every row to this length [null: the longest row]. */
  outputSequenceLength?: number | null;
  /** Pad encoded outputs to `maxTokens` wide [false]. */
  padToMaxTokens?: boolean;
  /** A fixed vocabulary; else call `adapt`. */
  vocabulary?: readonly string[] | null;
  /** IDF weights for `tf_idf` with a given vocabulary. */
  idfWeights?: readonly number[] | null;
  /** Not supported by Strata (always false). */
  sparse?: boolean;
  /** Not supported by Strata (always false). */
  ragged?: boolean;
  /** Only `utf-8`. */
  encoding?: string;
  /** Vocabulary size recorded in a saved config. */
  vocabularySize?: number | null;
}

// Keras's pattern `[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']` (`,-\.` is the range , - .).
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
// TF's whitespace split: runs of ASCII whitespace, leading and trailing ones dropped.
const WHITESPACE = /[ \t\n\v\f\r]+/;

/**
 * Vectorizes text: each input string (shape `[batch]` or `[batch, 1]`) is standardized, split
 * into tokens (and n-grams) and looked up in a vocabulary learned by `await layer.adapt(texts)`
 * or given. `int` output: `[batch, length]` int32 indices, 0 for padding, 1 for OOV;
 * `multi_hot`/`count`/`tf_idf`: `[batch, vocabularySize]` float32.
 */
export class TextVectorization extends Layer {
  static override readonly className: string = 'TextVectorization';
  static override readonly optionKeys: readonly string[] = [
    'maxTokens',
    'standardize',
    'split',
    'ngrams',
    'outputMode',
    'outputSequenceLength',
    'padToMaxTokens',
    'vocabulary',
    'idfWeights',
    'sparse',
    'ragged',
    'encoding',
    'vocabularySize',
  ];
  /** Standardization applied before splitting. */
  readonly standardize: TextStandardize;
  /** How text is split into tokens. */
  readonly split: TextSplit;
  /** The n-gram option as given. */
  readonly ngrams: number | number[] | null;
  /** Output encoding. */
  readonly outputMode: Exclude<LookupOutputMode, 'one_hot'>;
  /** Row length of `int` outputs, or null for the longest row. */
  readonly outputSequenceLength: number | null;
  /** Text encoding (UTF-8). */
  readonly encoding: string;
  /** The lookup that maps tokens to indices (Keras's `_lookup_layer`). */
  private readonly _lookupLayer: StringLookup;
  private readonly widths: number[] | null;

  constructor(maxTokens?: number | null, standardize?: TextStandardize, args?: TextVectorizationArgs);
  constructor(maxTokens?: number | null, args?: TextVectorizationArgs);
  constructor(args?: TextVectorizationArgs);
  constructor(...params: unknown[]) {
    // Keras's leading positional arguments: TextVectorization(max_tokens, standardize).
    const args = layerArgs<TextVectorizationArgs>(new.target, params, ['maxTokens', 'standardize']);
    super(args);
    const where = `Layer "${this.name}" (TextVectorization)`;
    this.standardize = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    this.split = args.split === undefined ? 'whitespace' : args.split;
    const standardizes = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation', null];
    if (!standardizes.includes(this.standardize))
      throw new ConfigurationError(
        `${where}: standardize must be one of ${standardizes.map(String).join(', ')}, got ${JSON.stringify(this.standardize)}`,
      );
    if (!['whitespace', 'character', null].includes(this.split))
      throw new ConfigurationError(
        `${where}: split must be "whitespace", "character" or null, got ${JSON.stringify(this.split)}`,
      );
    const ngrams = args.ngrams ?? null;
    this.ngrams = ngrams === null || typeof ngrams === 'number' ? ngrams : [...ngrams];
    this.widths =
      typeof ngrams === 'number'
        ? Array.from({ length: ngrams }, (_, i) => i + 1)
        : ngrams === null
          ? null
          : [...ngrams];
    if (this.widths !== null && !this.widths.every((w) => Number.isInteger(w) && w > 0)) {
      throw new ConfigurationError(
        `${where}: ngrams must be null, a positive integer or a list of them, got ${JSON.stringify(ngrams)}`,
      );
    }
    const mode =
      args.outputMode === 'binary' ? 'multi_hot' : args.outputMode === 'tf-idf' ? 'tf_idf' : (args.outputMode ?? 'int');
    if (!['int', 'multi_hot', 'count', 'tf_idf'].includes(mode))
      throw new ConfigurationError(
        `${where}: outputMode must be one of int, multi_hot, count, tf_idf, got "${String(mode)}"`,
      );
    this.outputMode = mode;
    this.outputSequenceLength = args.outputSequenceLength ?? null;
    if (
      this.outputSequenceLength !== null &&
      (mode !== 'int' || !Number.isInteger(this.outputSequenceLength) || this.outputSequenceLength < 1)
    ) {
      throw new ConfigurationError(
        `${where}: outputSequenceLength must be a positive integer, and only with outputMode "int"; got ${this.outputSequenceLength} with "${mode}"`,
      );
    }
    if (args.sparse === true || args.ragged === true)
      throw new ConfigurationError(`${where}: sparse and ragged outputs are not supported by Strata`);
    this.encoding = args.encoding ?? 'utf-8';
    this._lookupLayer = new StringLookup({
      name: `${this.name}_lookup`,
      maxTokens: args.maxTokens ?? null,
      vocabulary: args.vocabulary ?? null,
      idfWeights: args.idfWeights ?? null,
      padToMaxTokens: args.padToMaxTokens ?? false,
      maskToken: '',
      outputMode: mode,
      encoding: this.encoding,
      vocabularySize: args.vocabularySize ?? null,
    });
    this.trackLayer(this._lookupLayer);
  }

  /** The vocabulary in index order (`''` and `[UNK]` first by default). */
  getVocabulary(includeSpecialTokens = true): string[] {
    return this._lookupLayer.getVocabulary(includeSpecialTokens);
  }

  /** Vocabulary size, special tokens included. */
  vocabularySize(): number {
    return this._lookupLayer.vocabularySize();
  }

  /** Sets the vocabulary (and IDF weights for `tf_idf`). */
  setVocabulary(vocabulary: readonly string[], idfWeights: readonly number[] | null = null): void {
    this._lookupLayer.setVocabulary(vocabulary, idfWeights);
  }

  /** Learns the vocabulary from texts: each string is one document. */
  async adapt(data: AdaptData): Promise<void> {
    const documents: string[][] = [];
    for await (const batch of adaptBatches(data)) documents.push(...this.preprocess(batchValues(batch)));
    this._lookupLayer.adaptDocuments(documents);
  }

  /** Standardize + split + ngrams of one string (Keras `_preprocess`). */
  tokenize(text: string): string[] {
    let s = text;
    if (this.standardize === 'lower' || this.standardize === 'lower_and_strip_punctuation')
      s = s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
    if (this.standardize === 'strip_punctuation' || this.standardize === 'lower_and_strip_punctuation')
      s = s.replace(PUNCTUATION, '');
    const tokens =
      this.split === 'whitespace'
        ? s.split(WHITESPACE).filter((t) => t !== '')
        : this.split === 'character'
          ? Array.from(s)
          : [s];
    if (this.widths === null) return tokens;
    // tf.strings.ngrams: all n-grams of the first width, then of the next, joined by spaces.
    const out: string[] = [];
    for (const width of this.widths) {
      for (let i = 0; i + width <= tokens.length; i++) out.push(tokens.slice(i, i + width).join(' '));
    }
    return out;
  }

  /** Token lists of a batch of strings (`[batch]` or `[batch, 1]`). */
  private preprocess(values: ReturnType<typeof batchValues>): string[][] {
    const shape = nestedShape(values);
    if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1 && this.split !== null)) {
      throw new InputShapeError(
        `Layer "${this.name}" (TextVectorization): when splitting, the input must be [batch] or [batch, 1] strings; got shape [${shape.join(', ')}]`,
      );
    }
    if (shape.length === 2 && this.split === null)
      return (values as unknown[][]).map((row) => row.map((v) => this.tokenize(String(v))).flat());
    return flatValues(values).map((v) => this.tokenize(String(v)));
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const input = singleInput(inputs, this.name);
    if (input.dtype !== 'string')
      throw new DataError(
        `Layer "${this.name}" (TextVectorization): expects a string tensor, got dtype ${input.dtype}`,
      );
    const rows = this.preprocess(tensorValues(input)).map((tokens) =>
      tokens.map((t) => this._lookupLayer.lookupIndex(t)),
    );
    if (this.outputMode !== 'int') {
      return tf.tensor(this._lookupLayer.encodeRows(rows), [rows.length, this._lookupLayer.encodingDepth()], 'float32');
    }
    const length = this.outputSequenceLength ?? rows.reduce((m, r) => Math.max(m, r.length), 0);
    const out = new Int32Array(rows.length * length);
    rows.forEach((row, r) => out.set(row.slice(0, length), r * length));
    return tf.tensor(out, [rows.length, length], 'int32');
  }

  /** int32 token indices (Keras: int64), else float32 encodings. */
  protected override symbolicOutputDtype(): string {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (this.outputMode === 'int') return [shape[0] ?? null, this.outputSequenceLength];
    return [shape[0] ?? null, this._lookupLayer.encodingDepth()];
  }

  override getConfig(): LayerConfig {
    const lookup = this._lookupLayer;
    return {
      ...super.getConfig(),
      maxTokens: lookup.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: lookup.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: lookup.inputVocabulary,
      idfWeights: lookup.inputIdfWeights,
      encoding: this.encoding,
      vocabularySize: lookup.vocabularySize(),
    };
  }

  static override fromConfig(config: LayerConfig): TextVectorization {
    return new TextVectorization(config as TextVectorizationArgs);
  }

  /** Keras's `save_assets`: the lookup's `vocabulary.txt`. */
  saveAssets(): Map<string, Uint8Array> {
    return this._lookupLayer.saveAssets();
  }

  /** Keras's `load_assets`. */
  loadAssets(files: ReadonlyMap<string, Uint8Array>): void {
    this._lookupLayer.loadAssets(files);
  }
}
registerLayer(TextVectorization);
