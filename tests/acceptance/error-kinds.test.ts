/**
 * Acceptance (issue 10): every kind of error can be caught by class, from a real misuse of the
 * public API — and the class changes nothing about the message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackendError,
  ConfigurationError,
  DataError,
  Input,
  InputShapeError,
  kerasConfigOf,
  Model,
  ModelFileError,
  ModelLoadError,
  NotBuiltError,
  NotCompiledError,
  Sequential,
  ShapeError,
  StrataError,
  layers,
  loadModel,
  selectBackend,
  tf,
  utils,
  type KerasTensor,
} from '@strata/core';
import { writeKerasArchive } from '@strata/graph';

const dir = mkdtempSync(join(tmpdir(), 'strata-error-kinds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `fn` throws (or rejects with); fails the test when it returns normally. */
async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

function regressor(compile = true): Sequential {
  const model = new Sequential([Input([3]), new layers.Dense(1, { name: 'out' })]);
  if (compile) model.compile({ loss: 'mse' });
  return model;
}

describe('error kinds', () => {
  it('ConfigurationError: a bad layer option, an unknown option key, an unknown loss, a bad save path', async () => {
    const units = await caught(() => new layers.Dense(0, { name: 'd' }));
    expect(units).toBeInstanceOf(ConfigurationError);
    expect(units).toBeInstanceOf(StrataError);
    expect(units.name).toBe('ConfigurationError');
    expect(units.message).toBe('Layer "d" (Dense): units must be a positive integer, got 0');

    const model = regressor();
    const key = await caught(() => model.fit([[1, 2, 3]], [[1]], { batch_size: 1 } as never));
    expect(key).toBeInstanceOf(ConfigurationError);
    expect(key.message).toMatch(/^fit: unknown option "batch_size"; did you mean "batchSize"\?/);

    const loss = await caught(() => regressor(false).compile({ loss: 'nope' }));
    expect(loss).toBeInstanceOf(ConfigurationError);
    expect(loss.message).toMatch(/^Unknown loss "nope"; valid choices: /);

    const path = await caught(() => model.save(join(dir, 'model.h5')));
    expect(path).toBeInstanceOf(ConfigurationError);
    model.dispose();
  });

  it('NotCompiledError: fit and optimizer before compile', async () => {
    const model = regressor(false);
    const fit = await caught(() => model.fit([[1, 2, 3]], [[1]], { verbose: 0 }));
    expect(fit).toBeInstanceOf(NotCompiledError);
    expect(fit).toBeInstanceOf(StrataError);
    expect(fit.message).toBe(`Model "${model.name}": call compile() before fit()`);
    expect(await caught(() => model.optimizer)).toBeInstanceOf(NotCompiledError);
    model.dispose();
  });

  it('NotBuiltError: countParams of a layer never called', async () => {
    const error = await caught(() => new layers.Dense(2, { name: 'lonely' }).countParams());
    expect(error).toBeInstanceOf(NotBuiltError);
    expect(error.message).toBe('Layer "lonely" (Dense) is not built yet; call it on an input or build it first');
  });

  it('DataError: non-numeric, ragged or mismatched data; labels out of range', async () => {
    const model = regressor();
    const text = await caught(() => model.predict([['a', 'b', 'c']] as never));
    expect(text).toBeInstanceOf(DataError);
    expect(text).toBeInstanceOf(StrataError);
    const ragged = await caught(() =>
      model.fit(
        [
          [1, 2, 3],
          [1, 2],
        ],
        [[1], [2]],
        { verbose: 0 },
      ),
    );
    expect(ragged).toBeInstanceOf(DataError);
    const counts = await caught(() => model.fit([[1, 2, 3]], [[1], [2]], { verbose: 0 }));
    expect(counts).toBeInstanceOf(DataError);
    const categorical = await caught(() => utils.toCategorical([0, 3], 2));
    expect(categorical).toBeInstanceOf(DataError);
    model.dispose();
  });

  it('InputShapeError (a graph ShapeError): inputs a layer or model cannot take', async () => {
    const inputs = Input([4, 5]);
    const dense = new layers.Dense(2, { name: 'proj' });
    dense.apply(inputs);
    const wrongLast = await caught(() => dense.apply(Input([7])));
    expect(wrongLast).toBeInstanceOf(InputShapeError);
    expect(wrongLast).toBeInstanceOf(ShapeError);
    expect((wrongLast as ShapeError).layerName).toBe('proj');
    expect((wrongLast as ShapeError).className).toBe('Dense');
    expect(wrongLast.message).toMatch(/^Layer "proj" \(Dense\) was built for input shape \(None, 4, 5\)/);

    const model = regressor();
    const before = tf.memory().numTensors;
    const x = tf.zeros([2, 4]);
    const input = await caught(() => model.predict(x));
    x.dispose();
    expect(input).toBeInstanceOf(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('ModelFileError and ModelLoadError: a file that is not a model, a model that may not be built', async () => {
    const garbage = join(dir, 'garbage.keras');
    writeFileSync(garbage, 'not a zip archive');
    const file = await caught(() => loadModel(garbage));
    expect(file).toBeInstanceOf(ModelFileError);

    const inputs = Input([2]);
    const model = new Model(inputs, new layers.Dense(3, { name: 'dense' }).apply(inputs) as KerasTensor);
    const noWeights = join(dir, 'no-weights.keras');
    await writeKerasArchive(noWeights, { config: kerasConfigOf(model), weights: [] });
    model.dispose();
    const load = await caught(() => loadModel(noWeights));
    expect(load).toBeInstanceOf(ModelLoadError);
    expect(load).toBeInstanceOf(StrataError);
  });

  it('preprocessing layers and directory datasets: options, vocabularies, shapes and state by class', async () => {
    const mode = await caught(() => new layers.StringLookup({ name: 'sl', outputMode: 'bogus' as 'int' }));
    expect(mode).toBeInstanceOf(ConfigurationError);
    expect(mode.message).toBe(
      'Layer "sl" (StringLookup): outputMode must be one of int, one_hot, multi_hot, count, tf_idf, got "bogus"',
    );

    const repeated = await caught(() => new layers.StringLookup({ name: 'sl' }).setVocabulary(['a', 'a']));
    expect(repeated).toBeInstanceOf(DataError);
    expect(repeated.message).toBe('Layer "sl" (StringLookup): the vocabulary repeats terms: a');

    const before = tf.memory().numTensors;
    const words = tf.tensor(['a', 'b']);
    const strict = new layers.StringLookup({ name: 'strict', vocabulary: ['a'], numOovIndices: 0 });
    expect(await caught(() => strict.apply(words))).toBeInstanceOf(DataError);
    const notAdapted = await caught(() =>
      new layers.StringLookup({ name: 'hot', outputMode: 'multi_hot' }).apply(words),
    );
    expect(notAdapted).toBeInstanceOf(NotBuiltError);
    expect(notAdapted.message).toBe(
      'Layer "hot" (StringLookup): with outputMode "multi_hot" set the vocabulary first (give `vocabulary` or call adapt())',
    );
    const numbers = tf.zeros([2]);
    expect(await caught(() => new layers.TextVectorization({ name: 'tv' }).apply(numbers))).toBeInstanceOf(DataError);
    tf.dispose([words, numbers]);
    expect(tf.memory().numTensors).toBe(before);

    const axis = await caught(() => new layers.Normalization({ name: 'norm', axis: 3 }).maybeBuild([null, 2]));
    expect(axis).toBeInstanceOf(InputShapeError);
    expect((axis as ShapeError).layerName).toBe('norm');
    expect(await caught(() => new layers.Normalization({ mean: [1] }))).toBeInstanceOf(ConfigurationError);

    const missing = await caught(() => utils.textDatasetFromDirectory(join(dir, 'no-such-folder')));
    expect(missing).toBeInstanceOf(DataError);
    expect(missing.message).toBe(
      `Directory ${JSON.stringify(join(dir, 'no-such-folder'))} does not exist or is not a folder`,
    );
    const split = await caught(() =>
      utils.textDatasetFromDirectory(dir, { validationSplit: 2, subset: 'training', seed: 1 }),
    );
    expect(split).toBeInstanceOf(ConfigurationError);
    expect(split.message).toBe('validationSplit must be between 0 and 1, got 2');
  });

  it('BackendError: an unknown backend name', async () => {
    const error = await caught(() => selectBackend('no-such-backend'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(StrataError);
  });
});
