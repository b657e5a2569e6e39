/**
 * `IndexLookup`: the shared machinery of `StringLookup` and `IntegerLookup` (Keras's
 * `keras/src/layers/preprocessing/index_lookup.py`): a vocabulary of tokens mapped to
 * indices after the mask and OOV indices, learned by `adapt` or given, and the encodings
 * `int`, `one_hot`, `multi_hot`, `count` and `tf_idf`. The lookups run in JS on the
 * tensor's values (TF.js string tensors cannot be computed on by every backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import {
  adaptBatches,
  batchValues,
  flatValues,
  nestedShape,
  tensorValues,
  type AdaptData,
  type NestedValues,
} from './adapt-data.js';
import { ConfigurationError, DataError, InputShapeError, NotBuiltError } from '../../utils/errors.js';

/** How a lookup layer encodes its output. */
export type LookupOutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';
const OUTPUT_MODES: readonly string[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

/** A vocabulary token: a string (`StringLookup`) or an integer (`IntegerLookup`). */
export type LookupToken = string | number;

/** Options shared by the lookup layers (Keras defaults in brackets). */
export interface IndexLookupArgs<T extends LookupToken> extends LayerArgs {
  /** Largest vocabulary size, special tokens included; `null` for no limit [null]. */
  maxTokens?: number | null;
  /** How many out-of-vocabulary indices [1]; 0 makes unknown tokens an error. */
  numOovIndices?: number;
  /** Token meaning "masked" (index 0 in `int` mode, dropped otherwise); `null` for none [null]. */
  maskToken?: T | null;
  /** Token returned by `invert` for unknown indices [`'[UNK]'` / -1]. */
  oovToken?: T;
  /** A fixed vocabulary (without or with the special tokens at its start); else call `adapt`. */
  vocabulary?: readonly T[] | null;
  /** Inverse document frequencies, one per vocabulary token, for `tf_idf` with a given vocabulary. */
  idfWeights?: readonly number[] | null;
  /** Map indices back to tokens [false]; needs `outputMode: 'int'`. */
  invert?: boolean;
  /** Output encoding [`int`]; Keras's old names `binary` and `tf-idf` are accepted. */
  outputMode?: LookupOutputMode | 'binary' | 'tf-idf';
  /** Pad encoded outputs to `maxTokens` wide [false]. */
  padToMaxTokens?: boolean;
  /** Sparse outputs are not supported by Strata (always false). */
  sparse?: boolean;
  /** How extra OOV indices are chosen [`floormod`]; `farmhash` is not supported. */
  oovMethod?: 'floormod' | 'farmhash';
  /** Only with `farmhash`, which Strata does not support. */
  salt?: null;
  /** Vocabulary size recorded in a saved config (read back on loading). */
  vocabularySize?: number | null;
}

/** Compares strings by their UTF-8 bytes, as NumPy sorts Keras's byte-string tokens. */
function compareTokens(a: LookupToken, b: LookupToken): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/** The lookup layers' shared implementation; use `StringLookup` or `IntegerLookup`. */
export abstract class IndexLookup<T extends LookupToken> extends Layer {
  static override readonly optionKeys: readonly string[] = [
    'maxTokens',
    'numOovIndices',
    'maskToken',
    'oovToken',
    'vocabulary',
    'idfWeights',
    'invert',
    'outputMode',
    'padToMaxTokens',
    'sparse',
    'oovMethod',
    'salt',
    'vocabularySize',
  ];
  /** Largest vocabulary size (special tokens included), or null. */
  readonly maxTokens: number | null;
  /** Number of out-of-vocabulary indices. */
  readonly numOovIndices: number;
  /** The mask token, or null. */
  readonly maskToken: T | null;
  /** The token `invert` returns for unknown indices. */
  readonly oovToken: T;
  /** Whether the layer maps indices back to tokens. */
  readonly invert: boolean;
  /** Output encoding. */
  readonly outputMode: LookupOutputMode;
  /** Whether encodings are `maxTokens` wide. */
  readonly padToMaxTokens: boolean;
  /** The vocabulary given at construction (written to the config), else null. */
  readonly inputVocabulary: T[] | null;
  /** The IDF weights given at construction (written to the config), else null. */
  readonly inputIdfWeights: number[] | null;
  /** The vocabulary tokens (no special tokens), in index order. */
  private tokens: T[] = [];
  private indexOf = new Map<T, number>();
  private idf: Float32Array | null = null;
  private frozenVocabSize: number | null;

  constructor(args: IndexLookupArgs<T>, defaults: { oovToken: T }) {
    super(args);
    const where = `Layer "${this.name}" (${this.className})`;
    this.maxTokens = args.maxTokens ?? null;
    this.numOovIndices = args.numOovIndices ?? 1;
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? defaults.oovToken;
    this.invert = args.invert ?? false;
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    const mode =
      args.outputMode === 'binary' ? 'multi_hot' : args.outputMode === 'tf-idf' ? 'tf_idf' : (args.outputMode ?? 'int');
    if (!OUTPUT_MODES.includes(mode))
      throw new ConfigurationError(
        `${where}: outputMode must be one of ${OUTPUT_MODES.join(', ')}, got "${String(mode)}"`,
      );
    this.outputMode = mode;
    if (this.maxTokens !== null && !(Number.isInteger(this.maxTokens) && this.maxTokens > 1)) {
      throw new ConfigurationError(
        `${where}: maxTokens must be an integer greater than 1 when set, got ${this.maxTokens}`,
      );
    }
    if (this.padToMaxTokens && this.maxTokens === null)
      throw new ConfigurationError(`${where}: padToMaxTokens needs maxTokens`);
    if (!Number.isInteger(this.numOovIndices) || this.numOovIndices < 0) {
      throw new ConfigurationError(`${where}: numOovIndices must be an integer ≥ 0, got ${this.numOovIndices}`);
    }
    if (this.invert && this.outputMode !== 'int')
      throw new ConfigurationError(`${where}: outputMode must be "int" when invert is true, got "${this.outputMode}"`);
    if (args.sparse === true)
      throw new ConfigurationError(`${where}: sparse outputs are not supported by Strata; use sparse: false`);
    if ((args.oovMethod ?? 'floormod') !== 'floormod' || (args.salt ?? null) !== null) {
      throw new ConfigurationError(
        `${where}: oovMethod "farmhash" (and salt) are not supported by Strata; use oovMethod "floormod"`,
      );
    }
    if (args.idfWeights != null && this.outputMode !== 'tf_idf')
      throw new ConfigurationError(`${where}: idfWeights are only for outputMode "tf_idf"`);
    this.inputVocabulary = args.vocabulary ? [...args.vocabulary] : null;
    this.inputIdfWeights = args.idfWeights ? [...args.idfWeights] : null;
    this.frozenVocabSize = args.vocabularySize ?? null;
    if (this.inputVocabulary !== null) {
      if (this.outputMode === 'tf_idf' && this.inputIdfWeights === null) {
        throw new ConfigurationError(
          `${where}: with a vocabulary and outputMode "tf_idf", idfWeights must be given too`,
        );
      }
      this.setVocabulary(this.inputVocabulary, this.inputIdfWeights);
    }
  }

  /** Index of the first OOV index: 1 when a mask token takes index 0 (int mode), else 0. */
  protected oovStartIndex(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  /** Index of the first vocabulary token. */
  protected tokenStartIndex(): number {
    return this.oovStartIndex() + this.numOovIndices;
  }

  /** Vocabulary size, special tokens included (Keras `vocabulary_size()`). */
  vocabularySize(): number {
    return this.tokens.length + this.tokenStartIndex();
  }

  /** The vocabulary in index order (Keras `get_vocabulary()`); with special tokens by default. */
  getVocabulary(includeSpecialTokens = true): T[] {
    const specials: T[] = [];
    if (this.oovStartIndex() === 1) specials.push(this.maskToken!);
    for (let i = 0; i < this.numOovIndices; i++) specials.push(this.oovToken);
    return includeSpecialTokens ? [...specials, ...this.tokens] : [...this.tokens];
  }

  /** The IDF weights of `tf_idf` mode (one per index), or null. */
  getIdfWeights(): number[] | null {
    return this.idf === null ? null : Array.from(this.idf);
  }

  /** Converts a token read from a file or user data to this layer's token type. */
  protected abstract toToken(value: unknown): T;

  /**
   * Sets the vocabulary (Keras `set_vocabulary`): special tokens at its start are recognised and
   * dropped; repeated tokens, misplaced special tokens and vocabularies over `maxTokens` are refused.
   */
  setVocabulary(vocabulary: readonly T[], idfWeights: readonly number[] | null = null): void {
    const where = `Layer "${this.name}" (${this.className})`;
    if (this.outputMode === 'tf_idf' && idfWeights === null)
      throw new ConfigurationError(`${where}: idfWeights must be set for outputMode "tf_idf"`);
    if (this.outputMode !== 'tf_idf' && idfWeights !== null)
      throw new ConfigurationError(`${where}: idfWeights are only for outputMode "tf_idf"`);
    if (vocabulary.length === 0) throw new DataError(`${where}: cannot set an empty vocabulary`);
    const values = vocabulary.map((v) => this.toToken(v));
    const tokenStart = this.tokenStartIndex();
    const specials = this.getVocabulary(true).slice(0, tokenStart);
    const foundSpecials = values.length >= tokenStart && specials.every((s, i) => values[i] === s);
    const tokens = foundSpecials ? values.slice(tokenStart) : values;
    const seen = new Set<T>();
    const repeated = new Set<T>();
    for (const token of tokens) (seen.has(token) ? repeated : seen).add(token);
    if (repeated.size > 0)
      throw new DataError(`${where}: the vocabulary repeats terms: ${[...repeated].map(String).join(', ')}`);
    if (this.maskToken !== null && seen.has(this.maskToken)) {
      throw new DataError(
        `${where}: the mask token ${JSON.stringify(this.maskToken)} is inside the vocabulary; leave it out, or put the special tokens first in this order: ${JSON.stringify(specials)}`,
      );
    }
    if (this.invert && seen.has(this.oovToken)) {
      throw new DataError(
        `${where}: the OOV token ${JSON.stringify(this.oovToken)} is inside the vocabulary; leave it out, or put the special tokens first in this order: ${JSON.stringify(specials)}`,
      );
    }
    if (this.maxTokens !== null && tokenStart + tokens.length > this.maxTokens) {
      throw new DataError(
        `${where}: the vocabulary has ${tokenStart + tokens.length} entries (special tokens included), more than maxTokens ${this.maxTokens}`,
      );
    }
    this.assignTokens(tokens);
    if (this.outputMode === 'tf_idf') {
      if (idfWeights!.length !== vocabulary.length) {
        throw new DataError(
          `${where}: idfWeights has ${idfWeights!.length} entries, the vocabulary ${vocabulary.length}; they must be the same length`,
        );
      }
      const average = idfWeights!.reduce((a, b) => a + b, 0) / idfWeights!.length;
      const front = foundSpecials ? [] : new Array<number>(tokenStart).fill(average);
      this.setIdf([...front, ...idfWeights!]);
    }
    this.frozenVocabSize = this.vocabularySize();
  }

  private assignTokens(tokens: T[]): void {
    this.tokens = tokens;
    this.indexOf = new Map(tokens.map((token, i) => [token, i + this.tokenStartIndex()]));
  }

  private setIdf(weights: number[]): void {
    const width =
      this.padToMaxTokens && this.maxTokens !== null ? Math.max(this.maxTokens, weights.length) : weights.length;
    this.idf = new Float32Array(width);
    this.idf.set(weights);
  }

  /**
   * Learns the vocabulary from data (Keras `adapt`): tokens by descending count, ties broken
   * by descending token, truncated to `maxTokens`; `tf_idf` also learns document frequencies
   * (each row of a batch is a document; a 1-D batch is one token per document).
   */
  async adapt(data: AdaptData): Promise<void> {
    const documents: T[][] = [];
    for await (const batch of adaptBatches(data)) {
      const values = batchValues(batch);
      const shape = nestedShape(values);
      if (shape.length <= 1) for (const v of flatValues(values)) documents.push([this.toToken(v)]);
      else
        for (const row of values as NestedValues<string | number>[])
          documents.push(flatValues(row).map((v) => this.toToken(v)));
    }
    this.adaptDocuments(documents);
  }

  /** Learns the vocabulary from token lists (one per document); used by `TextVectorization`. */
  adaptDocuments(documents: readonly (readonly T[])[]): void {
    if (this.inputVocabulary !== null) {
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}): cannot adapt a layer whose vocabulary was given at construction`,
      );
    }
    const counts = new Map<T, number>();
    const documentCounts = new Map<T, number>();
    for (const document of documents) {
      for (const token of document) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const token of new Set(document)) documentCounts.set(token, (documentCounts.get(token) ?? 0) + 1);
    }
    if (counts.size === 0) {
      this.frozenVocabSize = this.vocabularySize();
      return;
    }
    if (this.maskToken !== null) counts.delete(this.maskToken);
    counts.delete(this.oovToken);
    let sorted = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || compareTokens(b, a));
    if (this.maxTokens !== null) sorted = sorted.slice(0, Math.max(0, this.maxTokens - this.tokenStartIndex()));
    this.assignTokens(sorted);
    if (this.outputMode === 'tf_idf') {
      const n = documents.length;
      const weights = sorted.map((token) => Math.fround(Math.log(1 + n / (1 + documentCounts.get(token)!))));
      const mean = weights.length === 0 ? 0 : weights.reduce((a, b) => a + b, 0) / weights.length;
      this.setIdf([...new Array<number>(this.tokenStartIndex()).fill(mean), ...weights]);
    }
    this.frozenVocabSize = this.vocabularySize();
  }

  /** Index of one token, with mask and OOV rules (Keras `_lookup_dense`). */
  lookupIndex(token: T): number {
    if (this.maskToken !== null && token === this.maskToken) return this.outputMode === 'int' ? 0 : -1;
    const index = this.indexOf.get(token);
    if (index !== undefined) return index;
    if (this.numOovIndices === 0) {
      throw new DataError(
        `Layer "${this.name}" (${this.className}): with numOovIndices 0 every input must be in the vocabulary; found OOV value ${JSON.stringify(token)} (consider numOovIndices: 1)`,
      );
    }
    if (this.numOovIndices === 1) return this.oovStartIndex();
    if (typeof token !== 'number') {
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}): numOovIndices > 1 hashes string tokens with FarmHash, which Strata does not support; use numOovIndices 0 or 1`,
      );
    }
    const n = this.numOovIndices;
    return (((token % n) + n) % n) + this.oovStartIndex();
  }

  /** The token of one index (for `invert`): the mask token at 0 when set, the OOV token for unknown indices. */
  lookupToken(index: number): T {
    if (this.maskToken !== null && index === 0) return this.maskToken;
    const token = this.tokens[index - this.tokenStartIndex()];
    return token === undefined ? this.oovToken : token;
  }

  /** Width of encoded outputs: `maxTokens` when padding, else the vocabulary size. */
  encodingDepth(): number {
    if (this.padToMaxTokens && this.maxTokens !== null) return this.maxTokens;
    return this.frozenVocabSize ?? this.vocabularySize();
  }

  /**
   * Encodes rows of indices (`multi_hot`, `count`, `tf_idf`; also `one_hot` on one index per
   * row) into a `[rows, depth]` float32 matrix; indices outside `[0, depth)` (the mask) are dropped.
   */
  encodeRows(rows: readonly (readonly number[])[]): Float32Array {
    const depth = this.encodingDepth();
    const out = new Float32Array(rows.length * depth);
    const binary = this.outputMode === 'multi_hot' || this.outputMode === 'one_hot';
    rows.forEach((row, r) => {
      for (const index of row) {
        if (index < 0 || index >= depth) continue;
        out[r * depth + index] = binary ? 1 : out[r * depth + index]! + 1;
      }
    });
    if (this.outputMode === 'tf_idf') {
      if (this.idf === null)
        throw new NotBuiltError(
          `Layer "${this.name}" (${this.className}): outputMode "tf_idf" needs idfWeights; adapt the layer or give them`,
        );
      for (let i = 0; i < out.length; i++) out[i] = out[i]! * (this.idf[i % depth] ?? 0);
    }
    return out;
  }

  /** Refuses encodings without a vocabulary size, as Keras does. */
  protected ensureKnownVocabSize(): void {
    if (this.outputMode === 'int' || this.padToMaxTokens) return;
    if (this.tokens.length === 0 && this.frozenVocabSize === null) {
      throw new NotBuiltError(
        `Layer "${this.name}" (${this.className}): with outputMode "${this.outputMode}" set the vocabulary first (give \`vocabulary\` or call adapt())`,
      );
    }
  }

  /** Makes the output tensor of `invert` lookups. */
  protected abstract invertedTensor(values: T[], shape: number[]): tf.Tensor;

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const input = singleInput(inputs, this.name);
    this.ensureKnownVocabSize();
    const shape = [...input.shape];
    const flat = flatValues(tensorValues(input));
    if (this.invert)
      return this.invertedTensor(
        flat.map((v) => this.lookupToken(Number(v))),
        shape,
      );
    const indices = flat.map((v) => this.lookupIndex(this.toToken(v)));
    if (this.outputMode === 'int') return tf.tensor(Int32Array.from(indices), shape, 'int32');
    return this.encodeIndices(indices, shape);
  }

  /** Encodes flat indices of an input of `shape` (Keras's `tf_encode_categorical_inputs`, rank ≤ 2). */
  private encodeIndices(indices: number[], shape: number[]): tf.Tensor {
    let rows: number[][];
    let outShape: number[];
    const depth = this.encodingDepth();
    if (this.outputMode === 'one_hot') {
      const lastIsOne = shape.length > 0 && shape[shape.length - 1] === 1;
      const batch = lastIsOne ? shape.slice(0, -1) : shape;
      if (batch.length > 1) throw this.rankError(shape);
      rows = indices.map((i) => [i]);
      outShape = [...batch, depth];
    } else {
      if (shape.length > 2) throw this.rankError(shape);
      // Rank 0 or 1: one document; rank 2: one document per row.
      const width = shape.length === 2 ? shape[1]! : indices.length;
      const count = shape.length === 2 ? shape[0]! : 1;
      rows = Array.from({ length: count }, (_, r) => indices.slice(r * width, (r + 1) * width));
      outShape = shape.length === 2 ? [count, depth] : [depth];
    }
    return tf.tensor(this.encodeRows(rows), outShape, 'float32');
  }

  private rankError(shape: number[]): InputShapeError {
    return new InputShapeError(
      `Layer "${this.name}" (${this.className}): with outputMode "${this.outputMode}" the output rank is at most 2; got input shape [${shape.join(', ')}]`,
    );
  }

  /** int32 indices (Keras: int64), the tokens when inverting, else float32 encodings. */
  protected override symbolicOutputDtype(): string {
    if (this.outputMode !== 'int') return 'float32';
    return this.invert ? this.invertedDtype() : 'int32';
  }

  /** Dtype of inverted outputs (`string` or `int32`). */
  protected abstract invertedDtype(): string;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (this.outputMode === 'int') return [...shape];
    const depth = this.encodingDepth();
    if (this.outputMode === 'one_hot')
      return shape.length > 1 && shape[shape.length - 1] === 1 ? [...shape.slice(0, -1), depth] : [...shape, depth];
    return [...shape.slice(0, -1), depth];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      invert: this.invert,
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      oovToken: this.oovToken,
      maskToken: this.maskToken,
      outputMode: this.outputMode,
      sparse: false,
      padToMaxTokens: this.padToMaxTokens,
      idfWeights: this.inputIdfWeights,
      vocabulary: this.inputVocabulary,
      vocabularySize: this.frozenVocabSize,
      oovMethod: 'floormod',
      salt: null,
    };
  }

  /** Keras's `save_assets`: `vocabulary.txt` (one token a line) unless the vocabulary is in the config. */
  saveAssets(): Map<string, Uint8Array> {
    if (this.inputVocabulary !== null) return new Map();
    if (this.outputMode === 'tf_idf') {
      // Keras keeps adapted IDF weights in a variable named `idf_weights`, which Strata's weights files do not hold.
      throw new ConfigurationError(
        `Layer "${this.name}" (${this.className}): saving an adapted outputMode "tf_idf" layer is not supported; give vocabulary and idfWeights at construction instead`,
      );
    }
    const text = this.getVocabulary(true).map(String).join('\n');
    return new Map([['vocabulary.txt', new TextEncoder().encode(text)]]);
  }

  /** Keras's `load_assets`: reads `vocabulary.txt` when the vocabulary is not in the config. */
  loadAssets(files: ReadonlyMap<string, Uint8Array>): void {
    if (this.inputVocabulary !== null) return;
    const bytes = files.get('vocabulary.txt');
    if (bytes === undefined) return;
    const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) return;
    this.setVocabulary(
      lines.map((line) => this.toToken(line)),
      this.outputMode === 'tf_idf' ? this.getIdfWeights() : null,
    );
  }
}
