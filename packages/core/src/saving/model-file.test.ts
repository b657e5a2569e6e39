import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readModelFile } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { layerFromConfig } from '../engine/registry.js';
import '../layers/index.js';
import { Dense } from '../layers/core/dense.js';
import { Dropout } from '../layers/regularization/dropout.js';
import {
  kerasWeightSlots,
  loadModel,
  loadModelWeights,
  modelToKerasJson,
  saveModel,
  saveModelWeights,
} from './index.js';
import { ScaleOffset, TwoWay, predictValues } from './test-support.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-saving-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hasH5py(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const h5py = hasH5py();

/** Lists `path shape attrs` of every object in an HDF5 file, through h5py. */
function h5Listing(file: string): string[] {
  const script = [
    'import h5py, json, sys',
    'out = []',
    'f = h5py.File(sys.argv[1], "r")',
    'f.visititems(lambda n, o: out.append([n, list(o.shape) if hasattr(o, "shape") else None, {k: str(v) for k, v in o.attrs.items()}]))',
    'print(json.dumps(out))',
  ].join('\n');
  const rows = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file]).toString()) as [
    string,
    number[] | null,
    Record<string, string>,
  ][];
  return rows.map(
    ([name, shape, attrs]) =>
      `${name}${shape ? ` ${JSON.stringify(shape)}` : ''}${attrs['name'] ? ` name=${attrs['name']}` : ''}`,
  );
}

function convnetLike(): Sequential {
  return new Sequential(
    [
      Input([5]),
      new Dense(4, { activation: 'relu', name: 'hidden_a' }),
      new Dropout(0.5, { name: 'drop' }),
      new ScaleOffset({ name: 'scaler' }),
      new Dense(4, { name: 'hidden_b' }),
      new Dense(2, { activation: 'softmax', name: 'probs' }),
    ],
    { name: 'saved_seq' },
  );
}

describe('saveModel / loadModel (.keras)', () => {
  it('saves a .keras archive that loads back with identical config and predictions', async () => {
    const model = convnetLike();
    const path = join(dir, 'seq.keras');
    await saveModel(model, path);
    const file = await readModelFile(path);
    expect(file.format).toBe('keras-zip');
    const metadata = file.metadata as Record<string, string>;
    // Keras writes {keras_version, date_saved} with date_saved as %Y-%m-%d@%H:%M:%S.
    expect(metadata['keras_version']).toMatch(/^3\.\d+\.\d+$/);
    expect(metadata['date_saved']).toMatch(/^\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}$/);
    expect(file.config).toEqual(JSON.parse(modelToKerasJson(model)));

    const loaded = await loadModel(path);
    expect(modelToKerasJson(loaded)).toBe(modelToKerasJson(model));
    const x = tf.randomNormal([3, 5]);
    expect(predictValues(loaded, x)).toEqual(predictValues(model, x));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it.skipIf(!h5py)('writes model.weights.h5 in Keras 3 group layout, readable by h5py', async () => {
    const model = convnetLike();
    const path = join(dir, 'layout.keras');
    await saveModel(model, path);
    const h5 = join(dir, 'layout.weights-from-zip.h5');
    // Extracted with Python's zipfile, as Keras opens the archive.
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("model.weights.h5"))',
      path,
      h5,
    ]);
    const listing = h5Listing(h5);
    expect(listing).toEqual(
      expect.arrayContaining([
        'vars name=saved_seq',
        // Groups are named from the class (snake_case, de-duplicated); the `name` attribute holds layer.name.
        'layers/dense/vars name=hidden_a',
        'layers/dense/vars/0 [5,4]',
        'layers/dense/vars/1 [4]',
        'layers/dropout/vars name=drop',
        'layers/scale_offset/vars name=scaler',
        // Custom layer: trainable `scale` first, then non-trainable `offset`.
        'layers/scale_offset/vars/0 [4]',
        'layers/scale_offset/vars/1 [4]',
        'layers/dense_1/vars/0 [4,4]',
        'layers/dense_2/vars/0 [4,2]',
        'layers/dense_2/vars/1 [2]',
        'layers/dense_2/vars name=probs',
      ]),
    );
    expect(listing.some((row) => row.startsWith('layers/input_layer'))).toBe(false);
    // vars/0 is the trainable `scale`, vars/1 the non-trainable `offset` (Keras: trainable + non_trainable).
    const stored = JSON.parse(
      execFileSync('/usr/bin/python3', [
        '-c',
        'import h5py, json, sys; f = h5py.File(sys.argv[1], "r"); print(json.dumps([f["layers/scale_offset/vars/0"][:].tolist(), f["layers/scale_offset/vars/1"][:].tolist()]))',
        h5,
      ]).toString(),
    ) as number[][];
    const scaler = model.getLayer('scaler');
    const [scale, offset] = scaler.weights.map((w) => Array.from(w.value.dataSync()));
    expect(scaler.weights.map((w) => w.name)).toEqual(['scale', 'offset']);
    stored[0]!.forEach((v, i) => expect(v).toBeCloseTo(scale![i]!, 6));
    stored[1]!.forEach((v, i) => expect(v).toBeCloseTo(offset![i]!, 6));
    // Keras opens the archive with Python's zipfile: the members it expects are there and parse.
    const members = execFileSync('/usr/bin/python3', [
      '-c',
      'import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); json.loads(z.read("config.json")); m = json.loads(z.read("metadata.json")); print(" ".join(sorted(z.namelist())), m["keras_version"])',
      path,
    ])
      .toString()
      .trim();
    expect(members).toMatch(/^config\.json metadata\.json model\.weights\.h5 3\.\d+\.\d+$/);
    // save_weights files have the same layout.
    const weightsPath = join(dir, 'layout.weights.h5');
    await saveModelWeights(model, weightsPath);
    expect(h5Listing(weightsPath)).toEqual(listing);
    model.dispose();
  });
  if (!h5py)
    it('h5py check skipped: /usr/bin/python3 has no h5py (apt-get install -y python3-h5py)', () =>
      expect(h5py).toBe(false));

  it('places sublayers at their attribute paths and nested models under layers/', () => {
    const inner = new Sequential([Input([3]), new Dense(3, { name: 'inner_dense' })], { name: 'inner' });
    const x = Input([3]);
    const y = new TwoWay({ name: 'two_way' }).apply(inner.apply(x));
    const model = new Model({ inputs: x, outputs: y });
    const slots = kerasWeightSlots(model).map((s) => `${s.path}:${s.variables.map((v) => v.name).join(',')}`);
    expect(slots).toEqual([
      ':',
      'layers/input_layer:',
      'layers/sequential:',
      'layers/sequential/layers/dense:kernel,bias',
      'layers/two_way:mix',
      // Attributes in sorted order: backward_layer before forward_layer.
      'layers/two_way/backward_layer:scale,offset',
      'layers/two_way/forward_layer:scale,offset',
    ]);
    model.dispose();
  });

  it('uses Keras paths for real wrapper layers: RNN cell, Bidirectional forward/backward, TimeDistributed, stacked cells', () => {
    const cell = (className: string, units: number) => ({
      module: 'keras.layers',
      className,
      config: { units },
      registeredName: null,
    });
    const model = new Sequential([
      Input([5, 3]),
      layerFromConfig('LSTM', { units: 2, returnSequences: true }),
      layerFromConfig('Bidirectional', {
        layer: {
          module: 'keras.layers',
          className: 'GRU',
          config: { units: 2, returnSequences: true },
          registeredName: null,
        },
      }),
      layerFromConfig('RNN', {
        cell: {
          module: 'keras.layers',
          className: 'StackedRNNCells',
          config: { cells: [cell('SimpleRNNCell', 2), cell('LSTMCell', 3)] },
          registeredName: null,
        },
        returnSequences: true,
      }),
      layerFromConfig('TimeDistributed', {
        layer: { module: 'keras.layers', className: 'Dense', config: { units: 2 }, registeredName: null },
      }),
    ]);
    const slots = kerasWeightSlots(model)
      .filter((s) => s.variables.length > 0)
      .map((s) => `${s.path}:${s.variables.map((v) => v.name).join(',')}`);
    expect(slots).toEqual([
      'layers/lstm/cell:kernel,recurrent_kernel,bias',
      'layers/bidirectional/backward_layer/cell:kernel,recurrent_kernel,bias',
      'layers/bidirectional/forward_layer/cell:kernel,recurrent_kernel,bias',
      'layers/rnn/cell/cells/simple_rnn_cell:kernel,recurrent_kernel,bias',
      'layers/rnn/cell/cells/lstm_cell:kernel,recurrent_kernel,bias',
      'layers/time_distributed/layer:kernel,bias',
    ]);
    model.dispose();
  });

  it('round-trips nested layers and models through a .keras file', async () => {
    const inner = new Sequential([Input([3]), new Dense(3)]);
    const x = Input([3]);
    const model = new Model({ inputs: x, outputs: new TwoWay().apply(inner.apply(x)) });
    const path = join(dir, 'nested.keras');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    const input = tf.randomNormal([2, 3]);
    expect(predictValues(loaded, input)).toEqual(predictValues(model, input));
    input.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('refuses a path without the .keras extension, as Keras does', async () => {
    const model = convnetLike();
    await expect(saveModel(model, join(dir, 'model.h5'))).rejects.toThrow(/\.keras/);
    await expect(saveModel(model, join(dir, 'model'))).rejects.toThrow(/Invalid filepath extension/);
    model.dispose();
  });

  it('is atomic: a failing save leaves the previous file intact and no temp files', async () => {
    const path = join(dir, 'atomic', 'model.keras');
    execFileSync('mkdir', ['-p', join(dir, 'atomic')]);
    const good = convnetLike();
    await saveModel(good, path);
    const before = readFileSync(path);
    const broken = convnetLike();
    broken.weights[0]!.value.dispose(); // reading this weight fails mid-save
    await expect(saveModel(broken, path)).rejects.toThrow();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['model.keras']);
    // A directory that does not exist: nothing is created.
    await expect(saveModel(good, join(dir, 'missing', 'm.keras'))).rejects.toThrow(/m\.keras/);
    good.dispose();
  });

  it('leaks no tensors: loading then disposing returns to the baseline', async () => {
    const model = convnetLike();
    const path = join(dir, 'leak.keras');
    await saveModel(model, path);
    const baseline = tf.memory().numTensors;
    const loaded = await loadModel(path);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('reports a shape mismatch naming the layer, the expected and the actual shape, and changes nothing', async () => {
    const small = new Sequential([Input([5]), new Dense(4, { name: 'hidden' }), new Dense(2, { name: 'out' })]);
    const path = join(dir, 'small.weights.h5');
    await saveModelWeights(small, path);
    const other = new Sequential([Input([5]), new Dense(6, { name: 'hidden' }), new Dense(2, { name: 'out' })]);
    const before = other.getWeights().map((t) => Array.from(t.dataSync()));
    await expect(loadModelWeights(other, path)).rejects.toThrow(
      /Layer "hidden" \(Dense\): weight kernel expects shape \(5, 6\), but .* has shape \(5, 4\) at layers\/dense\/vars\/0/,
    );
    const after = other.getWeights().map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    const fewer = new Sequential([
      Input([5]),
      new Dense(4, { name: 'hidden', useBias: false }),
      new Dense(2, { name: 'out' }),
    ]);
    await expect(loadModelWeights(fewer, path)).rejects.toThrow(
      /Layer "hidden" \(Dense\) expects 1 weight\(s\) \[kernel \(5, 4\)\], but .* has 2 at layers\/dense\/vars/,
    );
    small.dispose();
    other.dispose();
    fewer.dispose();
  });

  it('saveModelWeights / loadModelWeights round-trip; the file must end in .weights.h5', async () => {
    const model = convnetLike();
    const path = join(dir, 'seq.weights.h5');
    await saveModelWeights(model, path);
    const fresh = convnetLike();
    await loadModelWeights(fresh, path);
    const x = tf.randomNormal([2, 5]);
    expect(predictValues(fresh, x)).toEqual(predictValues(model, x));
    x.dispose();
    await expect(saveModelWeights(model, join(dir, 'w.h5'))).rejects.toThrow(/must end in "\.weights\.h5"/);
    model.dispose();
    fresh.dispose();
  });
});
