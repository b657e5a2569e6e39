/**
 * Generated "movie reviews" for the text classification examples. IMDB (Keras's
 * `keras.datasets.imdb`) is not shipped by any npm package, so these are token sequences with a
 * learnable rule instead: filler tokens drawn from a Zipf-like distribution, plus a few sentiment
 * tokens; a review is positive when it holds more positive than negative sentiment tokens.
 * Token ids follow `imdb.load_data`: 0 = padding, 1 = start, 2 = out-of-vocabulary, words from 3.
 */
import { mulberry32 } from './random.js';

/** Reviews as token-id lists with labels 0 (negative) / 1 (positive). */
export interface SyntheticReviews {
  sequences: number[][];
  labels: Int32Array;
  /** Token ids that mark a positive review. */
  positiveTokens: number[];
  /** Token ids that mark a negative review. */
  negativeTokens: number[];
}

/** Options of {@link makeSyntheticReviews}. */
export interface SyntheticReviewsOptions {
  /** Number of reviews. */
  count: number;
  /** Vocabulary size, ids included (Keras's `num_words`; default 2,000). */
  vocabSize?: number;
  /** Shortest and longest review, in tokens (default 20 and 120). */
  minLength?: number;
  maxLength?: number;
  /** Sentiment tokens per class (default 20). */
  sentimentTokens?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

const FIRST_WORD = 3;

/**
 * Generates `count` reviews, balanced between the classes. Each holds 1–4 sentiment tokens of its
 * own class and strictly fewer of the other, at random positions, so the label is a function of
 * the tokens (an attentive or recurrent model can reach 100%; a bag-of-words one can too).
 */
export function makeSyntheticReviews(options: SyntheticReviewsOptions): SyntheticReviews {
  const vocabSize = options.vocabSize ?? 2000;
  const minLength = options.minLength ?? 20;
  const maxLength = options.maxLength ?? 120;
  const perClass = options.sentimentTokens ?? 20;
  if (!(Number.isInteger(options.count) && options.count > 0))
    throw new Error(`makeSyntheticReviews: count must be a positive integer, got ${options.count}`);
  if (vocabSize < FIRST_WORD + 2 * perClass + 10) {
    throw new Error(
      `makeSyntheticReviews: vocabSize ${vocabSize} is too small for ${perClass} sentiment tokens per class (need ≥ ${FIRST_WORD + 2 * perClass + 10})`,
    );
  }
  if (!(minLength >= 8 && maxLength >= minLength))
    throw new Error(`makeSyntheticReviews: need 8 ≤ minLength ≤ maxLength, got ${minLength} and ${maxLength}`);
  const random = mulberry32(options.seed ?? 1);
  // Sentiment words are mid-frequency ids, as "great" / "awful" are in IMDB's frequency ranking.
  const positiveTokens = Array.from({ length: perClass }, (_, i) => FIRST_WORD + 50 + 2 * i);
  const negativeTokens = positiveTokens.map((id) => id + 1);
  const sentiment = new Set([...positiveTokens, ...negativeTokens]);
  const filler = (): number => {
    // Zipf-like: small ids are frequent; resample the sentiment ids away.
    for (;;) {
      const id = FIRST_WORD + Math.floor((vocabSize - FIRST_WORD) * random() ** 3);
      if (!sentiment.has(id)) return id;
    }
  };
  const pick = (ids: number[]): number => ids[Math.floor(random() * ids.length)]!;
  const sequences: number[][] = [];
  const labels = new Int32Array(options.count);
  for (let r = 0; r < options.count; r++) {
    const label = r % 2;
    const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
    const tokens = [1];
    for (let i = 1; i < length; i++) tokens.push(filler());
    const own = 1 + Math.floor(random() * 4);
    const other = Math.floor(random() * own);
    const [mine, theirs] = label === 1 ? [positiveTokens, negativeTokens] : [negativeTokens, positiveTokens];
    // Distinct positions after the start token.
    const positions = new Set<number>();
    while (positions.size < own + other) positions.add(1 + Math.floor(random() * (length - 1)));
    [...positions].forEach((p, i) => {
      tokens[p] = pick(i < own ? mine : theirs);
    });
    sequences.push(tokens);
    labels[r] = label;
  }
  // Shuffle so the classes alternate irregularly (Fisher–Yates on both arrays together).
  for (let i = sequences.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sequences[i], sequences[j]] = [sequences[j]!, sequences[i]!];
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return { sequences, labels, positiveTokens, negativeTokens };
}
