/**
 * Data preparation and sampling of Keras's "Character-level text generation with LSTM"
 * (keras.io/examples/generative/lstm_character_level_text_generation): one-hot windows of
 * `maxlen` characters, each labelled with the character that follows, and temperature sampling.
 */
import { Input, Sequential, layers, optimizers, tf, type Model } from '@strata/core';

/** The corpus's characters, sorted, and their indices. */
export interface Vocabulary {
  chars: string[];
  charIndices: Map<string, number>;
}

/** `sorted(list(set(text)))` and its index, as Keras's example builds them. */
export function makeVocabulary(text: string): Vocabulary {
  const chars = [...new Set(text)].sort();
  return { chars, charIndices: new Map(chars.map((c, i) => [c, i])) };
}

/** One-hot windows: `x` is `[count, maxlen, chars]`, `y` is `[count, chars]` (the next character). */
export interface Windows {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/** Cuts `text` into windows of `maxlen` characters every `step` characters, one-hot encoded. */
export function vectorize(text: string, maxlen: number, step: number, vocab: Vocabulary): Windows {
  if (text.length <= maxlen)
    throw new Error(`vectorize: the text (${text.length} characters) must be longer than maxlen ${maxlen}`);
  const n = vocab.chars.length;
  const starts: number[] = [];
  for (let i = 0; i < text.length - maxlen; i += step) starts.push(i);
  const x = new Float32Array(starts.length * maxlen * n);
  const y = new Float32Array(starts.length * n);
  starts.forEach((start, s) => {
    for (let t = 0; t < maxlen; t++) x[(s * maxlen + t) * n + charIndex(vocab, text[start + t]!)] = 1;
    y[s * n + charIndex(vocab, text[start + maxlen]!)] = 1;
  });
  return { x, y, count: starts.length };
}

function charIndex(vocab: Vocabulary, c: string): number {
  const i = vocab.charIndices.get(c);
  if (i === undefined)
    throw new Error(`character ${JSON.stringify(c)} is not in the vocabulary (${vocab.chars.length} characters)`);
  return i;
}

/** One sentence as a `[1, length, chars]` one-hot array (the `x_pred` of Keras's example). */
export function encodeSentence(sentence: string, vocab: Vocabulary): Float32Array {
  const n = vocab.chars.length;
  const x = new Float32Array(sentence.length * n);
  for (let t = 0; t < sentence.length; t++) x[t * n + charIndex(vocab, sentence[t]!)] = 1;
  return x;
}

/** A single LSTM(128) layer and a softmax over the characters, trained with RMSprop(0.01). */
export function buildModel(maxlen: number, numChars: number, units = 128): Sequential {
  const model = new Sequential([
    Input([maxlen, numChars]),
    new layers.LSTM(units),
    new layers.Dense(numChars, { activation: 'softmax' }),
  ]);
  const optimizer = new optimizers.RMSprop({ learningRate: 0.01 });
  model.compile({ loss: 'categorical_crossentropy', optimizer });
  return model;
}

/**
 * Samples an index from a probability array reweighted by `temperature` (Keras's `sample`):
 * low temperatures pick the likeliest characters, high ones flatten the distribution.
 * `random` returns uniform numbers in [0, 1) (a seeded generator makes runs repeatable).
 */
export function sample(preds: ArrayLike<number>, temperature: number, random: () => number = Math.random): number {
  if (!(temperature > 0)) throw new Error(`sample: temperature must be positive, got ${temperature}`);
  const logits = Array.from(preds, (p) => Math.log(p) / temperature);
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const total = exp.reduce((a, b) => a + b, 0);
  // One multinomial draw: walk the cumulative distribution.
  let u = random() * total;
  for (let i = 0; i < exp.length; i++) {
    u -= exp[i]!;
    if (u < 0) return i;
  }
  return exp.length - 1;
}

/** Generates `length` characters after `sentence` (which is `maxlen` long), one prediction per character. */
export function generate(
  model: Model,
  sentence: string,
  length: number,
  temperature: number,
  vocab: Vocabulary,
  random?: () => number,
): string {
  const maxlen = sentence.length;
  const n = vocab.chars.length;
  let generated = '';
  for (let i = 0; i < length; i++) {
    const xPred = encodeSentence(sentence, vocab);
    const preds = tf.tidy(() =>
      (model.predict(tf.tensor3d(xPred, [1, maxlen, n]), { verbose: 0 }) as tf.Tensor).dataSync(),
    );
    const nextChar = vocab.chars[sample(preds, temperature, random)]!;
    sentence = sentence.slice(1) + nextChar;
    generated += nextChar;
  }
  return generated;
}
