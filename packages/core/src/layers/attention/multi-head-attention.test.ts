import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { decodeModelConfig, readModelFile, type JsonObject, type WeightEntry } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { setRandomSeed } from '../../utils/random-seed.js';
import { loadModel, modelFromIR, modelToKerasJson, saveModel } from '../../saving/index.js';
import { GlobalAveragePooling1D } from '../pooling/global-average-pooling1d.js';
import { FIXTURES, fixtureCase, fixtureModels, goldenDiffs } from './golden-case.test-suite.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { GOLDEN_DIR, HAVE_GOLDENS, maxAbsDiff, readNpy } from './npy.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-mha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRANSFORMER = join(GOLDEN_DIR, 'cases/transformer_block');

/** Every group, dataset shape and attribute of a `.keras` file's `model.weights.h5`, through h5py (Debian python3-h5py). */
function h5Listing(kerasFile: string): string[] {
  const script = [
    'import h5py, io, json, sys, zipfile',
    'data = zipfile.ZipFile(sys.argv[1]).read("model.weights.h5")',
    'out = []',
    'h5py.File(io.BytesIO(data), "r").visititems(lambda n, o: out.append(f"{n} {getattr(o, \'shape\', \'\')} {sorted((k, str(v)) for k, v in o.attrs.items())}"))',
    'print(json.dumps(sorted(out)))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, kerasFile]).toString()) as string[];
}
const HAVE_H5PY = ((): boolean => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!HAVE_H5PY)
  console.warn(
    'SKIPPED: /usr/bin/python3 has no h5py; the full HDF5 layout of saved MultiHeadAttention weights is not compared',
  );
if (!HAVE_GOLDENS)
  console.warn(`SKIPPED: the shared Keras goldens are absent (${GOLDEN_DIR}); transformer_block is not checked`);

describe.skipIf(!HAVE_GOLDENS)('MultiHeadAttention: keras3-golden transformer_block (shared goldens present)', () => {
  it.each(['model.keras', 'model.h5'])(
    '%s predicts what Keras 3.15.1 predicted (≤ 1e-4), without leaking tensors',
    async (file) => {
      const baseline = tf.memory().numTensors;
      const diffs = await goldenDiffs(TRANSFORMER, file, ['x0.npy'], ['y0.npy']);
      expect(Math.max(...diffs)).toBeLessThanOrEqual(1e-4);
      expect(tf.memory().numTensors).toBe(baseline);
    },
  );

  it('saves the weights in the layout Keras wrote (query_dense … output_dense), and the config as Keras does', async () => {
    const model = await loadModel(join(TRANSFORMER, 'model.keras'));
    const path = join(dir, 'transformer.keras');
    await saveModel(model, path);
    const layout = async (file: string): Promise<string[]> => {
      const read = await readModelFile(file);
      const entries: WeightEntry[] = (await read.weights?.()) ?? [];
      return entries.map((e) => `${e.path} ${e.shape.join('x')}`).sort();
    };
    const ours = await layout(path);
    expect(ours).toEqual(await layout(join(TRANSFORMER, 'model.keras')));
    expect(ours).toContain('layers/multi_head_attention/query_dense/vars/0 16x4x8');
    expect(ours).toContain('layers/multi_head_attention/output_dense/vars/1 16');
    if (HAVE_H5PY) expect(h5Listing(path)).toEqual(h5Listing(join(TRANSFORMER, 'model.keras')));
    const mha = (JSON.parse(modelToKerasJson(model)) as { config: { layers: Record<string, unknown>[] } }).config
      .layers[1]!;
    expect(mha['build_config']).toEqual({ shapes_dict: { query_shape: [null, 6, 16], value_shape: [null, 6, 16] } });
    const node = (mha['inbound_nodes'] as { args: unknown[] }[])[0]!;
    expect(node.args).toHaveLength(2); // positional (query, value), not one list
    expect(Object.keys(mha['config'] as object)).toEqual([
      'name',
      'trainable',
      'dtype',
      'num_heads',
      'key_dim',
      'value_dim',
      'dropout',
      'use_bias',
      'use_gate',
      'output_shape',
      'attention_axes',
      'sliding_window',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
      'seed',
    ]);
    const reloaded = await loadModel(path);
    const x = readNpy(join(TRANSFORMER, 'x0.npy'));
    const [a, b] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([x, a, b]);
    model.dispose();
    reloaded.dispose();
  });
});

describe('MultiHeadAttention: goldens made with Keras 3.15.1 (fixtures/make_attention_goldens.py)', () => {
  const cases = ['mha_cross_scores', 'mha_causal_axes', 'mha_attention_mask'].flatMap((name) => {
    const c = fixtureCase(name);
    return fixtureModels(c).map((file) => ({ name, file, c }));
  });
  it.each(cases)('$name/$file: every output within 1e-5 of Keras', async ({ name, file, c }) => {
    const diffs = await goldenDiffs(join(FIXTURES, name), file, c.inputs, c.outputs);
    expect(diffs).toHaveLength(c.outputs.length);
    for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-5);
  });

  it.each(fixtureModels(fixtureCase('mha_masks')))(
    'mha_masks/%s: query and value masks from Embedding(mask_zero), both Keras paths, a second reader without mask, pooling (Keras writes a NotEqual op node)',
    async (file) => {
      const c = fixtureCase('mha_masks');
      const baseline = tf.memory().numTensors;
      const model = await loadModel(join(FIXTURES, c.name, file));
      expect(model.layers.map((l) => l.className)).toContain('NotEqual');
      const x = readNpy(join(FIXTURES, c.name, c.inputs[0]!));
      const out = model.predict(x) as tf.Tensor[];
      expect(out).toHaveLength(c.outputs.length);
      c.outputs.forEach((f, i) => {
        const y = readNpy(join(FIXTURES, c.name, f));
        expect(maxAbsDiff(out[i]!, y)).toBeLessThanOrEqual(1e-5);
        y.dispose();
      });
      // The explicit path (dropout > 0) leaves fully masked query rows (row 2 has tokens at steps 0-1 only) at the output bias.
      const explicit = model.layers.find(
        (l) => l.className === 'MultiHeadAttention' && (l.getConfig()['dropout'] as number) > 0,
      )!;
      const bias = explicit.weights.at(-1)!.value;
      const rowTail = tf.slice(out[1]!, [2, 5, 0], [1, 1, 8]);
      const flat = tf.reshape(rowTail, [8]);
      expect(maxAbsDiff(flat, bias)).toBeLessThan(1e-6);
      tf.dispose([x, rowTail, flat, ...out]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    },
  );
});

describe('MultiHeadAttention in Strata', () => {
  function crossModel(): Model {
    const q = Input([5, 6]);
    const v = Input([7, 4]);
    const mask = Input([5, 7], { dtype: 'int32' });
    const mha = new MultiHeadAttention(2, 3, { valueDim: 2, outputShape: 5 });
    const [out, scores] = mha.applyMulti([q, v], {
      kwargs: { attentionMask: mask, useCausalMask: true, returnAttentionScores: true },
    });
    return new Model({ inputs: [q, v, mask], outputs: [out!, scores!] });
  }

  it('infers symbolic shapes from @strata/graph, scores included', () => {
    const model = crossModel();
    expect(model.outputs.map((t) => t.shape)).toEqual([
      [null, 5, 5],
      [null, 2, 5, 7],
    ]);
    model.dispose();
  });

  it('keeps predictions through a Strata .keras save → load, kwargs (mask tensor, causal, scores) included', async () => {
    setRandomSeed(3);
    const model = crossModel();
    const xs = [
      tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1),
      tf.randomNormal([2, 7, 4], 0, 1, 'float32', 2),
      tf.tensor3d(
        Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? 0 : 1)),
        [2, 5, 7],
        'int32',
      ),
    ];
    const path = join(dir, 'cross.keras');
    await saveModel(model, path);
    const reloaded = await loadModel(path);
    const a = model.predict(xs) as tf.Tensor[];
    const b = reloaded.predict(xs) as tf.Tensor[];
    expect(a.map((t, i) => maxAbsDiff(t, b[i]!))).toEqual([0, 0]);
    const config = JSON.parse(modelToKerasJson(reloaded)) as {
      config: { layers: { class_name: string; inbound_nodes: { kwargs: Record<string, unknown> }[] }[] };
    };
    const node = config.config.layers.find((l) => l.class_name === 'MultiHeadAttention')!.inbound_nodes[0]!;
    expect(Object.keys(node.kwargs).sort()).toEqual(['attention_mask', 'return_attention_scores', 'use_causal_mask']);
    tf.dispose([...xs, ...a, ...b]);
    model.dispose();
    reloaded.dispose();
  });

  it('trains: gradients reach every projection and a short fit lowers the loss, without leaks', async () => {
    setRandomSeed(5);
    const x = Input([4, 6]);
    const mha = new MultiHeadAttention(2, 3, { dropout: 0.1 });
    const model = new Model({ inputs: x, outputs: new GlobalAveragePooling1D().apply(mha.apply([x, x])) });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const xs = tf.randomNormal([16, 4, 6], 0, 1, 'float32', 7);
    const ys = tf.randomNormal([16, 6], 0, 1, 'float32', 8);
    const before = model.getWeights();
    const first = await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
    // The optimizer's slots exist from the first fit on; later fits must not add tensors.
    const baseline = tf.memory().numTensors;
    const history = await model.fit(xs, ys, { epochs: 20, batchSize: 8, verbose: 0 });
    expect(tf.memory().numTensors).toBe(baseline);
    const losses = history.history['loss']!;
    expect(losses[losses.length - 1]!).toBeLessThan(first.history['loss']![0]! * 0.9);
    const after = model.getWeights();
    expect(mha.weights.map((w) => w.path)).toEqual([
      'query/kernel',
      'query/bias',
      'key/kernel',
      'key/bias',
      'value/kernel',
      'value/bias',
      'attention_output/kernel',
      'attention_output/bias',
    ]);
    before.forEach((w, i) => expect(maxAbsDiff(w, after[i]!)).toBeGreaterThan(0));
    tf.dispose([xs, ys, ...before, ...after]);
    model.dispose();
  });

  it('runs eagerly without leaking tensors', () => {
    const mha = new MultiHeadAttention(2, 2, { useGate: true });
    const q = tf.ones([1, 3, 4]);
    const baseline = tf.memory().numTensors;
    const [out, scores] = mha.applyMulti([q, q], { kwargs: { returnAttentionScores: true } });
    expect(out!.shape).toEqual([1, 3, 4]);
    expect(scores!.shape).toEqual([1, 2, 3, 3]);
    tf.dispose([out!, scores!]);
    const weights = mha.weights.length;
    expect(tf.memory().numTensors).toBe(baseline + weights);
    tf.dispose(q);
    mha.dispose();
  });

  it('loads a tf.keras 2 config, where the call writes value as a [layer, node, index] keyword argument', () => {
    const keras2: JsonObject = {
      class_name: 'Model',
      keras_version: '2.12.0',
      backend: 'tensorflow',
      config: {
        name: 'model',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'input_1',
            inbound_nodes: [],
            config: {
              batch_input_shape: [null, 6, 16],
              dtype: 'float32',
              sparse: false,
              ragged: false,
              name: 'input_1',
            },
          },
          {
            class_name: 'MultiHeadAttention',
            name: 'multi_head_attention',
            config: {
              name: 'multi_head_attention',
              trainable: true,
              dtype: 'float32',
              num_heads: 4,
              key_dim: 8,
              value_dim: 8,
              dropout: 0.0,
              use_bias: true,
              output_shape: null,
              attention_axes: [1],
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
              query_shape: [null, 6, 16],
              key_shape: [null, 6, 16],
              value_shape: [null, 6, 16],
            },
            inbound_nodes: [[['input_1', 0, 0, { value: ['input_1', 0, 0], use_causal_mask: true }]]],
          },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['multi_head_attention', 0, 0]],
      },
    };
    const loaded = modelFromIR(decodeModelConfig(keras2).model);
    const x = Input([6, 16]);
    const reference = new MultiHeadAttention(4, 8);
    const model = new Model({ inputs: x, outputs: reference.apply([x, x], { kwargs: { useCausalMask: true } }) });
    const weights = model.getWeights();
    loaded.setWeights(weights);
    const input = tf.randomNormal([2, 6, 16], 0, 1, 'float32', 9);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([input, a, b, ...weights]);
    model.dispose();
    loaded.dispose();
  });

  it('loads a Keras 3 call made with keywords only (mha(query=x, value=x)) and writes it back positionally', () => {
    const tensor = {
      class_name: '__keras_tensor__',
      config: { shape: [null, 5, 3], dtype: 'float32', keras_history: ['q', 0, 0] },
    };
    const json: JsonObject = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'm',
        trainable: true,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            name: 'q',
            inbound_nodes: [],
            config: { batch_shape: [null, 5, 3], dtype: 'float32', name: 'q' },
          },
          {
            module: 'keras.layers',
            class_name: 'MultiHeadAttention',
            name: 'mha',
            config: { name: 'mha', num_heads: 2, key_dim: 4 },
            inbound_nodes: [{ args: [], kwargs: { query: tensor, value: tensor, return_attention_scores: true } }],
          },
        ],
        input_layers: [['q', 0, 0]],
        output_layers: [
          ['mha', 0, 0],
          ['mha', 0, 1],
        ],
      },
    };
    const model = modelFromIR(decodeModelConfig(json).model);
    expect(model.outputs.map((t) => t.shape)).toEqual([
      [null, 5, 3],
      [null, 2, 5, 5],
    ]);
    const written = JSON.parse(modelToKerasJson(model)) as {
      config: { layers: { inbound_nodes: { args: unknown[]; kwargs: unknown }[] }[] };
    };
    expect(written.config.layers[1]!.inbound_nodes[0]!.args).toHaveLength(2);
    expect(written.config.layers[1]!.inbound_nodes[0]!.kwargs).toEqual({ return_attention_scores: true });
    model.dispose();
  });

  it('refuses bad options and shapes with clear errors', () => {
    expect(() => new MultiHeadAttention(0, 2)).toThrow(/numHeads must be a positive integer, got 0/);
    expect(() => new MultiHeadAttention(2, 2, { dropout: 2 })).toThrow(/dropout/);
    const mha = new MultiHeadAttention(2, 2, { name: 'mha_bad' });
    expect(() => mha.apply([Input([3, 4]), Input([5, 4]), Input([6, 4])])).toThrow(
      /mha_bad.*value and key except the last must be equal/,
    );
    expect(() => new MultiHeadAttention(2, 2).apply(Input([3, 4]))).toThrow(/\[query, value\]/);
    expect(() =>
      new MultiHeadAttention(2, 2).apply([Input([3, 4]), Input([3, 4])], { kwargs: { training2: true } as never }),
    ).toThrow(/takes no keyword argument "training2"; it takes: attentionMask/);
    expect(() => new MultiHeadAttention(2, 2, { attentionAxes: [2] }).apply([Input([3, 4]), Input([3, 4])])).toThrow(
      /attention_axes \[2\]/,
    );
  });
});
