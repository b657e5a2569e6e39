import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { readModelFile } from './read-model-file.js';
import { HAVE_REAL_MODELS, realModel } from './test-paths.test-suite.js';
import type { WeightEntry } from './types.js';
import { writeKerasArchive } from './write-keras-archive.js';
import { writeModelConfigFile } from './write-model-config.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasH5py = spawnSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0;

const layer = (className: string, name: string, extra: JsonObject = {}): JsonObject => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, ...extra },
  registered_name: null,
});

const config: JsonObject = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'tiny',
    trainable: true,
    layers: [
      layer('InputLayer', 'input_layer', { batch_shape: [null, 3], dtype: 'float32' }),
      layer('Dense', 'hidden', { units: 4, activation: 'relu', use_bias: true }),
      layer('Dropout', 'drop', { rate: 0.5 }),
      layer('Dense', 'out', { units: 2, activation: 'linear', use_bias: true }),
    ],
  },
  registered_name: null,
};

const ramp = (n: number, start: number): Float32Array => Float32Array.from({ length: n }, (_, i) => start + i / 8);
const weights: WeightEntry[] = [
  { path: 'hidden/kernel', layerName: 'hidden', shape: [3, 4], dtype: 'float32', data: ramp(12, 0) },
  { path: 'hidden/bias', layerName: 'hidden', shape: [4], dtype: 'float32', data: ramp(4, 10) },
  { path: 'out/kernel', layerName: 'out', shape: [4, 2], dtype: 'float32', data: ramp(8, -3) },
  { path: 'out/bias', layerName: 'out', shape: [2], dtype: 'float32', data: ramp(2, 7) },
];

describe('writeKerasArchive', () => {
  const target = join(dir, 'tiny.keras');

  it('writes metadata.json, config.json, model.weights.h5 (in that order, like Keras) and reads back equal', async () => {
    await writeKerasArchive(target, { config, weights });
    const members = unzipSync(readFileSync(target));
    expect(Object.keys(members)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    const metadata = JSON.parse(new TextDecoder().decode(members['metadata.json'])) as JsonObject;
    expect(metadata['keras_version']).toMatch(/^3\./);
    expect(metadata['date_saved']).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);

    const file = await readModelFile(target);
    expect(file.format).toBe('keras-zip');
    expect(file.config).toEqual(config);
    const back = await file.weights!();
    expect(back.map((w) => [w.path, w.layerName, w.shape])).toEqual([
      ['layers/dense/vars/0', 'hidden', [3, 4]],
      ['layers/dense/vars/1', 'hidden', [4]],
      ['layers/dense_1/vars/0', 'out', [4, 2]],
      ['layers/dense_1/vars/1', 'out', [2]],
    ]);
    back.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(weights[i]!.data)));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!hasH5py)(
    'has the group layout Keras 3 loads, checked with h5py (skipped when python3-h5py is missing)',
    async () => {
      await writeKerasArchive(target, { config, weights });
      const h5 = join(dir, 'model.weights.h5');
      writeFileSync(h5, unzipSync(readFileSync(target))['model.weights.h5']!);
      const script = [
        'import h5py, json, sys',
        'f = h5py.File(sys.argv[1], "r")',
        'out = {}',
        'f.visititems(lambda name, obj: out.__setitem__(name, [list(obj.shape), str(obj.dtype), float(obj[()].ravel()[0])] if isinstance(obj, h5py.Dataset) else dict((k, str(v)) for k, v in obj.attrs.items())))',
        'print(json.dumps(out))',
      ].join('\n');
      const run = spawnSync('/usr/bin/python3', ['-c', script, h5], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const layout = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(layout).toEqual({
        vars: { name: 'tiny' },
        layers: {},
        'layers/dense': {},
        'layers/dense/vars': { name: 'hidden' },
        'layers/dense/vars/0': [[3, 4], 'float32', 0],
        'layers/dense/vars/1': [[4], 'float32', 10],
        'layers/dropout': {},
        'layers/dropout/vars': { name: 'drop' },
        'layers/dense_1': {},
        'layers/dense_1/vars': { name: 'out' },
        'layers/dense_1/vars/0': [[4, 2], 'float32', -3],
        'layers/dense_1/vars/1': [[2], 'float32', 7],
      });
    },
  );

  it('refuses a weight that names no layer of the config', async () => {
    const stray: WeightEntry = {
      path: 'ghost/kernel',
      layerName: 'ghost',
      shape: [1],
      dtype: 'float32',
      data: ramp(1, 0),
    };
    await expect(writeKerasArchive(join(dir, 'bad.keras'), { config, weights: [stray] })).rejects.toThrow(
      /ghost\/kernel names no layer/,
    );
  });
});

describe('writeModelConfigFile', () => {
  const renamed = (json: JsonObject): JsonObject => {
    const copy = structuredClone(json);
    (copy['config'] as JsonObject)['name'] = 'renamed';
    return copy;
  };

  it('rewrites config.json of a .keras and keeps the weights bytes', async () => {
    const target = join(dir, 'rewrite.keras');
    await writeKerasArchive(target, { config, weights });
    const before = unzipSync(readFileSync(target));
    await writeModelConfigFile(target, renamed(config));
    const after = unzipSync(readFileSync(target));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after['model.weights.h5']).toEqual(before['model.weights.h5']);
    expect((await readModelFile(target)).model.name).toBe('renamed');
  });

  it('rewrites a JSON config keeping its indentation', async () => {
    const target = join(dir, 'model.json');
    writeFileSync(target, `${JSON.stringify(config, null, 4)}\n`);
    chmodSync(target, 0o640);
    await writeModelConfigFile(target, renamed(config));
    expect(statSync(target).mode & 0o777).toBe(0o640);
    const text = readFileSync(target, 'utf8');
    expect(text).toMatch(/^\{\n {4}"module"/);
    expect(text.endsWith('}\n')).toBe(true);
    expect((await readModelFile(target)).model.name).toBe('renamed');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!HAVE_REAL_MODELS)(
    'replaces modelTopology of a TF.js model.json and keeps the manifest (needs real-models)',
    async () => {
      const target = join(dir, 'tfjs-model.json');
      copyFileSync(realModel('tfjs_layers_model/model.json'), target);
      copyFileSync(realModel('tfjs_layers_model/weights.bin'), join(dir, 'weights.bin'));
      const original = JSON.parse(readFileSync(target, 'utf8')) as JsonObject;
      await writeModelConfigFile(target, renamed(original['modelTopology'] as JsonObject));
      const file = await readModelFile(target);
      expect(file.model.name).toBe('renamed');
      expect(file.config['weightsManifest']).toEqual(original['weightsManifest']);
      expect(await file.weights!()).toHaveLength(4);
    },
  );

  it.skipIf(!HAVE_REAL_MODELS)(
    'rewrites the model_config attribute of a legacy .h5 and keeps its weights (needs real-models)',
    async () => {
      const target = join(dir, 'legacy.h5');
      copyFileSync(realModel('dl4j_mlp_0.h5'), target);
      const original = await readModelFile(target);
      await writeModelConfigFile(target, renamed(original.config));
      const file = await readModelFile(target);
      expect(file.model.name).toBe('renamed');
      expect(file.metadata?.['keras_version']).toBe('2.2.4-tf');
      if (hasH5py) {
        // Keras reads the attribute with json.loads(f.attrs["model_config"]): it must be a str.
        const script =
          'import h5py, json, sys; v = h5py.File(sys.argv[1], "r").attrs["model_config"]; print(type(v).__name__, json.loads(v)["config"]["name"])';
        expect(spawnSync('/usr/bin/python3', ['-c', script, target], { encoding: 'utf8' }).stdout.trim()).toBe(
          'str renamed',
        );
      }
      expect((await file.weights!()).map((w) => w.shape)).toEqual([[3, 6], [6]]);
      expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('refuses an empty file', async () => {
    const target = join(dir, 'empty.json');
    writeFileSync(target, '');
    await expect(writeModelConfigFile(target, config)).rejects.toThrow(/empty\.json: is empty/);
  });
});

describe('Keras 3 weight ownership', () => {
  it('credits nested variables (an LSTM cell) and 2.13-era group names to the top-level layer', async () => {
    const lstmConfig: JsonObject = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'rnn',
        layers: [layer('InputLayer', 'in', { batch_shape: [null, 5, 2] }), layer('LSTM', 'my_lstm', { units: 1 })],
      },
      registered_name: null,
    };
    const target = join(dir, 'rnn.keras');
    const cellKernel: WeightEntry = {
      path: 'layers/lstm/cell/vars/0',
      shape: [2, 4],
      dtype: 'float32',
      data: ramp(8, 0),
    };
    const legacyNamed: WeightEntry = {
      path: '_layer_checkpoint_dependencies/lstm/vars/0',
      shape: [1],
      dtype: 'float32',
      data: ramp(1, 0),
    };
    await writeKerasArchive(target, { config: lstmConfig, weights: [cellKernel, legacyNamed] });
    const back = await (await readModelFile(target)).weights!();
    expect(back.map((w) => [w.path, w.layerName])).toEqual([
      ['_layer_checkpoint_dependencies/lstm/vars/0', 'my_lstm'],
      ['layers/lstm/cell/vars/0', 'my_lstm'],
    ]);
  });
});
