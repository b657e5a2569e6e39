/**
 * Port of Keras's "Bidirectional LSTM on IMDB" (keras.io/examples/nlp/bidirectional_lstm_imdb).
 * IMDB is not shipped by any npm package, so the reviews are generated token sequences whose
 * sentiment is decided by a few "positive" / "negative" tokens (@strata/datasets `makeSyntheticReviews`).
 *
 * Run: pnpm example:bilstm   (EPOCHS=1 SAMPLES=1000 for a quick run)
 */
import { backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { buildBidirectionalLstm, prepareReviews } from './model.js';

await initBackend();
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const maxFeatures = 2000; // Only consider the top 2k "words" (Keras: 20k)
const maxlen = 40; // Only consider the first 40 "words" of each review (Keras: 200)
const samples = Number(process.env['SAMPLES'] ?? 4000);
console.log(
  'data: GENERATED reviews (IMDB is not on npm): the label is the majority of a few sentiment tokens among Zipf-distributed filler',
);
const train = prepareReviews(samples, maxFeatures, maxlen, 1);
const val = prepareReviews(Math.ceil(samples / 2), maxFeatures, maxlen, 2);
console.log(`${train.x.shape[0]} Training sequences`);
console.log(`${val.x.shape[0]} Validation sequences`);

const model = buildBidirectionalLstm({ maxFeatures });
model.summary();
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
const epochs = Number(process.env['EPOCHS'] ?? 2);
await model.fit(train.x, train.y, { batchSize: 32, epochs, validationData: [val.x, val.y] });

const [valLoss, valAccuracy] = (await model.evaluate(val.x, val.y, { verbose: 0 })) as number[];
console.log(`validation loss: ${valLoss!.toFixed(4)}`);
console.log(`validation accuracy: ${valAccuracy!.toFixed(4)}`);
tf.dispose([train.x, train.y, val.x, val.y]);
model.dispose();
