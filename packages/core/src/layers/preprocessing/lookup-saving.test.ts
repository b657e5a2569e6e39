/**
 * Lookup layers and TextVectorization through Strata's `.keras` files: vocabularies given at
 * construction live in the config, adapted ones in the archive's `assets/` folder at the layer's
 * weights path (Keras's `save_assets` layout, TextVectorization's `_lookup_layer` included).
 * Real Keras 3 cannot make or read these files here: its lookup layers need TensorFlow, which
 * the Keras oracle (PyTorch backend) lacks (see fixtures/cases.json `_lookup_layers`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { openZipArchive, writeZip } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { loadModel, saveModel } from '../../saving/model-file.js';
import { Dense } from '../core/dense.js';
import { Embedding } from '../core/embedding.js';
import { GlobalAveragePooling1D } from '../pooling/global-average-pooling1d.js';
import { IntegerLookup } from './integer-lookup.js';
import { StringLookup } from './string-lookup.js';
import { TextVectorization } from './text-vectorization.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-lookup-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function members(path: string): Map<string, string> {
  const archive = openZipArchive(new Uint8Array(readFileSync(path)), path);
  return new Map(
    [...archive.members.keys()]
      .filter((n) => n.startsWith('assets/'))
      .map((n) => [n, new TextDecoder().decode(archive.read(n))]),
  );
}

describe('saving lookup layers in .keras archives', () => {
  it('StringLookup (adapted) → Embedding → pooling → Dense: assets written, loaded back, same outputs', async () => {
    const lookup = new StringLookup({ maskToken: '' });
    await lookup.adapt(['cat', 'dog', 'dog', 'bird', '']);
    const input = Input([3], { dtype: 'string' });
    const ids = lookup.apply(input);
    const out = new Dense(2).apply(new GlobalAveragePooling1D().apply(new Embedding(5, 4).apply(ids)));
    const model = new Model({ inputs: input, outputs: out });
    const x = tf.tensor([
      ['dog', 'cat', ''],
      ['fish', 'bird', 'dog'],
    ]);
    const y = model.predict(x) as tf.Tensor;
    const path = join(dir, 'string_lookup.keras');
    await saveModel(model, path);
    expect(members(path)).toEqual(new Map([['assets/layers/string_lookup/vocabulary.txt', '\n[UNK]\ndog\ncat\nbird']]));
    const before = tf.memory().numTensors;
    const loaded = await loadModel(path);
    expect((loaded.getLayer(lookup.name) as StringLookup).getVocabulary()).toEqual(['', '[UNK]', 'dog', 'cat', 'bird']);
    const y2 = loaded.predict(x) as tf.Tensor;
    expect(y2.arraySync()).toEqual(y.arraySync());
    y2.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("TextVectorization (adapted, int) writes its vocabulary at its own path and its _lookup_layer's, as Keras", async () => {
    const vectorize = new TextVectorization({ outputSequenceLength: 5 });
    await vectorize.adapt(['The cat sat.', 'The dog sat down!']);
    const model = new Sequential([
      Input([1], { dtype: 'string' }),
      vectorize,
      new Embedding(8, 3),
      new GlobalAveragePooling1D(),
      new Dense(1),
    ]);
    const x = tf.tensor([['the cat'], ['A dog sat on the mat']]);
    const y = model.predict(x) as tf.Tensor;
    const path = join(dir, 'text.keras');
    await saveModel(model, path);
    const vocab = '\n[UNK]\nthe\nsat\ndown\ndog\ncat';
    expect(members(path)).toEqual(
      new Map([
        ['assets/layers/text_vectorization/vocabulary.txt', vocab],
        ['assets/layers/text_vectorization/_lookup_layer/vocabulary.txt', vocab],
      ]),
    );
    const loaded = await loadModel(path);
    expect((loaded.getLayer(vectorize.name) as TextVectorization).getVocabulary()).toEqual(vocab.split('\n'));
    const y2 = loaded.predict(x) as tf.Tensor;
    expect(y2.arraySync()).toEqual(y.arraySync());
    tf.dispose([x, y, y2]);
    model.dispose();
    loaded.dispose();
  });

  it('a given vocabulary stays in the config (no assets); multi_hot IntegerLookup and TextVectorization count round-trip', async () => {
    const input = Input([3], { dtype: 'int32' });
    const encoded = new IntegerLookup({ vocabulary: [7, 8, 9], outputMode: 'multi_hot' }).apply(input);
    const model = new Model({ inputs: input, outputs: new Dense(2).apply(encoded) });
    const path = join(dir, 'integer.keras');
    await saveModel(model, path);
    expect(members(path).size).toBe(0);
    const loaded = await loadModel(path);
    const x = tf.tensor([[7, 9, 100]], undefined, 'int32');
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(b.arraySync()).toEqual(a.arraySync());
    const texts = new Sequential([
      Input([], { dtype: 'string' }),
      new TextVectorization({ outputMode: 'count', vocabulary: ['a', 'b'] }),
    ]);
    const textPath = join(dir, 'count.keras');
    await saveModel(texts, textPath);
    const textsLoaded = await loadModel(textPath);
    const s = tf.tensor(['a b a', 'c']);
    const c = textsLoaded.predict(s) as tf.Tensor;
    expect(c.arraySync()).toEqual([
      [0, 2, 1],
      [1, 0, 0],
    ]);
    tf.dispose([x, a, b, s, c]);
    [model, loaded, texts, textsLoaded].forEach((m) => m.dispose());
  });

  it('refuses an archive whose asset member name leaves the assets folder, naming the member', async () => {
    const lookup = new StringLookup();
    await lookup.adapt(['x']);
    const model = new Sequential([Input([1], { dtype: 'string' }), lookup]);
    const good = join(dir, 'good.keras');
    await saveModel(model, good);
    const archive = openZipArchive(new Uint8Array(readFileSync(good)), good);
    const bad = join(dir, 'bad.keras');
    const entries: [string, Uint8Array, boolean][] = [...archive.members.keys()].map((n) => [
      n,
      archive.read(n),
      false,
    ]);
    entries.push(['assets/layers/../../evil.txt', new TextEncoder().encode('x'), false]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, writeZip(entries));
    const before = tf.memory().numTensors;
    await expect(loadModel(bad)).rejects.toThrow(
      /zip member "assets\/layers\/\.\.\/\.\.\/evil\.txt" is not a valid asset name: it has the segment "\.\."/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
