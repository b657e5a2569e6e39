/**
 * Generates the hostile-file corpus into a temp folder at test time (no binary blobs in
 * the repository): TF.js `model.json` files whose shard paths leave their folder or name
 * devices, FIFOs and directories; manifests that lie about shapes and sizes; `.keras`
 * zips that lie about member sizes, lack their weights or hide bombs; and, through
 * make_hostile_h5.py (h5py), HDF5 files with external storage, external links, virtual
 * datasets, link cycles, sparse and gzip bombs and a config in 3,000 chunks.
 *
 * Layout: `<root>/models/…` holds the cases, `<root>/outside/` the canary files their
 * references point at (outside every model folder), `<root>/tmp/` the child's TMPDIR.
 *
 * @packageDocumentation
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKerasArchive, type JsonObject, type LoadLimits } from '@strata/graph';
import { openZipArchive, writeZip } from '../../packages/graph/src/files/zip.js';
import { CANARY_VALUES } from './canary.js';
import { addNameAndGraphCases } from './hostile-names-corpus.js';

/** How one reader must end on a case: load, or refuse with a message matching the pattern. */
export type Expectation = 'loaded' | RegExp;

/** One generated file, how to read it, and what each reader must do with it. */
export interface HostileCase {
  name: string;
  file: string;
  limits?: Partial<LoadLimits>;
  /** Passed to loadModel as `weights`. */
  loadWeights?: boolean;
  /** Passed to loadModel as `compile` (default false: only the compile-config cases need it). */
  compile?: boolean;
  /** A warning loadModel must print (a compile_config is not applied, with a warning, as Keras does). */
  loadWarning?: RegExp;
  /**
   * `strata lint` and `strata summary` exit codes when they differ from what `lint` implies
   * (refused → 2 and 2; loaded → summary 0, lint 0 or 1), and a pattern their output must show.
   */
  cli?: { lint: number; summary: number; printed?: RegExp; summaryPrinted?: RegExp };
  /** `readModelFile` alone (what lint and summary read). */
  lint: Expectation;
  /** `readModelFile` then `weights()`. */
  read: Expectation;
  /** core's `loadModel`. */
  load: Expectation;
}

/** The generated corpus. */
export interface HostileCorpus {
  root: string;
  cases: HostileCase[];
  /** Why the HDF5 cases are missing, when python3/h5py are not available. */
  hdf5Skipped?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const KERNEL = Float32Array.from([1, 2, 3, 4, 5, 6], (v) => v / 10);
const BIAS = Float32Array.of(0.5, -0.5, 0.25);

const DENSE_KERAS3: JsonObject = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'tiny',
    trainable: true,
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, 2], dtype: 'float32', name: 'input_layer' },
        registered_name: null,
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: { name: 'dense', trainable: true, units: 3, activation: 'linear', use_bias: true },
        registered_name: null,
      },
    ],
  },
  registered_name: null,
};

const TFJS_TOPOLOGY: JsonObject = {
  class_name: 'Sequential',
  config: {
    name: 'tiny',
    layers: [
      {
        class_name: 'Dense',
        config: {
          units: 3,
          activation: 'linear',
          use_bias: true,
          name: 'dense',
          batch_input_shape: [null, 2],
          dtype: 'float32',
        },
      },
    ],
  },
  keras_version: 'tfjs-layers 4.22.0',
  backend: 'tensor_flow.js',
};

const bytesOf = (...arrays: Float32Array[]): Uint8Array => {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
};

const OUTSIDE = /refers to data in another file|outside the model's folder|absolute path/;
const NOT_REGULAR = /only regular files are read/;

/** Writes every case below `root` and returns them with their expectations. */
export async function buildHostileCorpus(root: string): Promise<HostileCorpus> {
  const models = join(root, 'models');
  const outside = join(root, 'outside');
  for (const dir of [models, outside, join(root, 'tmp')]) mkdirSync(dir, { recursive: true });
  const canaryBin = join(outside, 'canary.bin');
  writeFileSync(canaryBin, bytesOf(Float32Array.from(CANARY_VALUES)));
  const cases: HostileCase[] = [];
  const add = (item: HostileCase): void => void cases.push(item);

  // ---- TF.js model.json: where shards may come from, and manifests that lie.
  const tfjs = (name: string, manifest: unknown, files: Record<string, Uint8Array> = {}): string => {
    const folder = join(models, name);
    mkdirSync(folder, { recursive: true });
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes);
    const document: Record<string, unknown> = { format: 'layers-model', modelTopology: TFJS_TOPOLOGY };
    if (manifest !== undefined) document['weightsManifest'] = manifest;
    writeFileSync(join(folder, 'model.json'), JSON.stringify(document));
    return join(folder, 'model.json');
  };
  const denseWeights = [
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'dense/bias', shape: [3], dtype: 'float32' },
  ];
  const shardsAt = (...paths: string[]): unknown => [{ paths, weights: denseWeights }];
  const good = bytesOf(KERNEL, BIAS);

  add({
    name: 'tfjs-ok',
    file: tfjs('tfjs-ok', shardsAt('w.bin'), { 'w.bin': good }),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  const refusedShard = (name: string, pattern: RegExp, ...paths: string[]): void =>
    add({ name, file: tfjs(name, shardsAt(...paths)), lint: 'loaded', read: pattern, load: pattern });
  refusedShard('tfjs-absolute-path', /"\/.*canary\.bin" is an absolute path/, canaryBin);
  refusedShard(
    'tfjs-dotdot',
    /"\.\.\/\.\.\/outside\/canary\.bin" points outside the model's folder/,
    '../../outside/canary.bin',
  );
  refusedShard('tfjs-dotdot-inside-name', /points outside the model's folder/, 'sub/../../../outside/canary.bin');
  refusedShard('tfjs-dev-zero', /"\/dev\/zero" is an absolute path/, '/dev/zero');
  refusedShard('tfjs-dev-stdin', /"\/dev\/stdin" is an absolute path/, '/dev/stdin');
  {
    const file = tfjs('tfjs-symlink-out', shardsAt('w.bin'));
    symlinkSync(relative(dirname(file), canaryBin), join(dirname(file), 'w.bin'));
    add({
      name: 'tfjs-symlink-out',
      file,
      lint: 'loaded',
      read: /"w\.bin" is a link to .*canary\.bin, outside the model's folder/,
      load: /is a link to/,
    });
  }
  {
    const file = tfjs('tfjs-symlink-dev-zero', shardsAt('w.bin'));
    symlinkSync('/dev/zero', join(dirname(file), 'w.bin'));
    add({
      name: 'tfjs-symlink-dev-zero',
      file,
      lint: 'loaded',
      read: /is a link to \/dev\/zero, outside/,
      load: /is a link to \/dev\/zero/,
    });
  }
  {
    const file = tfjs('tfjs-symlink-inside', shardsAt('w.bin'), { 'real.bin': good });
    symlinkSync('real.bin', join(dirname(file), 'w.bin'));
    add({ name: 'tfjs-symlink-inside', file, lint: 'loaded', read: 'loaded', load: 'loaded' });
  }
  if (spawnSync('mkfifo', ['--version']).status === 0) {
    const file = tfjs('tfjs-fifo', shardsAt('w.bin'));
    execFileSync('mkfifo', [join(dirname(file), 'w.bin')]);
    add({ name: 'tfjs-fifo', file, lint: 'loaded', read: /"w\.bin" is a FIFO/, load: NOT_REGULAR });
    const main = join(models, 'fifo.keras');
    execFileSync('mkfifo', [main]);
    add({ name: 'main-file-fifo', file: main, lint: /is a FIFO/, read: /is a FIFO/, load: /is a FIFO/ });
  }
  {
    const file = tfjs('tfjs-directory', shardsAt('w.bin'));
    mkdirSync(join(dirname(file), 'w.bin'));
    add({ name: 'tfjs-directory', file, lint: 'loaded', read: /"w\.bin" is a directory/, load: NOT_REGULAR });
  }
  add({
    name: 'tfjs-manifest-not-a-list',
    file: tfjs('tfjs-manifest-not-a-list', { paths: ['w.bin'] }, { 'w.bin': good }),
    lint: 'loaded',
    read: 'loaded',
    load: /weightsManifest is not a list.*weights: false/,
  });
  add({
    name: 'tfjs-manifest-missing',
    file: tfjs('tfjs-manifest-missing', undefined),
    lint: 'loaded',
    read: 'loaded',
    load: /weightsManifest is missing/,
  });
  add({
    name: 'tfjs-manifest-missing-weights-false',
    file: join(models, 'tfjs-manifest-missing', 'model.json'),
    loadWeights: false,
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  const lyingShape = (name: string, shape: unknown[], pattern: RegExp): void =>
    add({
      name,
      file: tfjs(
        name,
        [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape, dtype: 'float32' }, denseWeights[1]] }],
        { 'w.bin': good },
      ),
      lint: 'loaded',
      read: pattern,
      load: pattern,
    });
  lyingShape('tfjs-negative-dimension', [-1, 3], /dimension 0 \(-1\) is not a non-negative integer/);
  lyingShape('tfjs-huge-dimension', [1e15, 3], /declares shape \[1000000000000000, 3\].*limits\.maxMemberBytes/);
  lyingShape('tfjs-fractional-dimension', [2.5, 3], /dimension 0 \(2\.5\) is not a non-negative integer/);
  lyingShape('tfjs-string-dimension', ['2', 3], /dimension 0 \("2"\) is not a non-negative integer/);
  lyingShape('tfjs-overflowing-dimensions', [2 ** 40, 2 ** 40], /limits\.maxMemberBytes/);
  add({
    name: 'tfjs-total-over-limit',
    file: tfjs(
      'tfjs-total-over-limit',
      [
        {
          paths: ['w.bin'],
          weights: Array.from({ length: 5 }, (_, i) => ({ name: `dense/w${i}`, shape: [2 ** 28], dtype: 'float32' })),
        },
      ],
      { 'w.bin': good },
    ),
    lint: 'loaded',
    read: /more than limits\.maxTotalBytes \(4\.0 GiB\) in total/,
    load: /limits\.maxTotalBytes/,
  });
  add({
    name: 'tfjs-shard-longer-than-manifest',
    file: tfjs('tfjs-shard-longer', shardsAt('w.bin'), { 'w.bin': bytesOf(KERNEL, BIAS, KERNEL) }),
    lint: 'loaded',
    read: /do not match their manifest/,
    load: /do not match their manifest/,
  });
  add({
    name: 'tfjs-shard-short',
    file: tfjs('tfjs-shard-short', shardsAt('w.bin'), { 'w.bin': bytesOf(KERNEL) }),
    lint: 'loaded',
    read: /too short/,
    load: /too short/,
  });
  add({
    name: 'tfjs-unknown-dtype',
    file: tfjs(
      'tfjs-unknown-dtype',
      [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'complex64' }] }],
      { 'w.bin': good },
    ),
    lint: 'loaded',
    read: /unsupported dtype complex64/,
    load: /unsupported dtype/,
  });
  add({
    name: 'tfjs-limit-total',
    file: join(models, 'tfjs-ok', 'model.json'),
    limits: { maxTotalBytes: 16 },
    lint: 'loaded',
    read: /limits\.maxTotalBytes \(16 bytes\)/,
    load: /limits\.maxTotalBytes/,
  });

  // ---- The model file itself: devices and directories are refused before reading.
  add({
    name: 'main-file-dev-zero',
    file: '/dev/zero',
    lint: /is a device file/,
    read: /is a device file/,
    load: /is a device file/,
  });
  // strata lint takes a directory as "the model files in it", so it lints tfjs-ok/model.json.
  add({
    name: 'main-file-directory',
    file: join(models, 'tfjs-ok'),
    lint: /is a directory/,
    read: /is a directory/,
    load: /is a directory/,
    cli: { lint: 0, summary: 2 },
  });

  // ---- Configs that describe gigabytes of weights: refused before anything is allocated.
  const configWith = (name: string, units: number, batchShape: number[]): string => {
    const config = structuredClone(DENSE_KERAS3) as { config: { layers: { config: Record<string, unknown> }[] } };
    config.config.layers[0]!.config['batch_shape'] = [null, ...batchShape];
    config.config.layers[1]!.config['units'] = units;
    const file = join(models, name);
    writeFileSync(file, JSON.stringify(config));
    return file;
  };
  add({
    name: 'config-dense-2^31-units',
    file: configWith('dense-huge-units.json', 2 ** 31, [2]),
    lint: 'loaded',
    read: 'loaded',
    load: /layer "dense" would create weight kernel of shape \(2, 2147483648\).*limits\.maxMemberBytes/,
  });
  add({
    name: 'config-input-1e12-wide',
    file: configWith('input-huge.json', 3, [1e12]),
    lint: 'loaded',
    read: 'loaded',
    load: /would create weight kernel of shape \(1000000000000, 3\)/,
  });
  add({
    name: 'config-input-negative',
    file: configWith('input-negative.json', 3, [-5]),
    lint: 'loaded',
    read: 'loaded',
    load: /shape entries must be non-negative integers/,
  });
  add({
    name: 'config-limit-json',
    file: join(models, 'input-negative.json'),
    limits: { maxConfigBytes: 100 },
    lint: /the file holds .* of JSON, more than limits\.maxConfigBytes/,
    read: /limits\.maxConfigBytes/,
    load: /limits\.maxConfigBytes/,
  });
  add({
    name: 'config-total-over-limit',
    file: configWith('dense-total.json', 2 ** 25, [4]),
    limits: { maxTotalBytes: 2 ** 28 },
    lint: 'loaded',
    read: 'loaded',
    load: /more than limits\.maxTotalBytes/,
  });

  // ---- .keras zips.
  const kerasOk = join(models, 'ok.keras');
  await writeKerasArchive(kerasOk, {
    config: DENSE_KERAS3,
    weights: [
      { path: 'layers/dense/vars/0', layerName: 'dense', shape: [2, 3], dtype: 'float32', data: KERNEL },
      { path: 'layers/dense/vars/1', layerName: 'dense', shape: [3], dtype: 'float32', data: BIAS },
    ],
  });
  add({ name: 'keras-ok', file: kerasOk, lint: 'loaded', read: 'loaded', load: 'loaded' });
  add({
    name: 'keras-limit-total',
    file: kerasOk,
    limits: { maxTotalBytes: 1000 },
    lint: /zip members declare .* in total, more than limits\.maxTotalBytes/,
    read: /limits\.maxTotalBytes/,
    load: /limits\.maxTotalBytes/,
  });
  add({
    name: 'keras-limit-member',
    file: kerasOk,
    limits: { maxMemberBytes: 1000 },
    lint: /more than limits\.maxMemberBytes \(1000 bytes\)/,
    read: /limits\.maxMemberBytes/,
    load: /limits\.maxMemberBytes/,
  });
  add({
    name: 'keras-limit-config',
    file: kerasOk,
    limits: { maxConfigBytes: 100 },
    lint: /config\.json holds .* of JSON, more than limits\.maxConfigBytes \(100 bytes\)/,
    read: /limits\.maxConfigBytes/,
    load: /limits\.maxConfigBytes/,
  });
  const configBytes = new TextEncoder().encode(JSON.stringify(DENSE_KERAS3));
  const zipWith = (
    name: string,
    members: Record<string, Uint8Array>,
    patch?: (zip: Uint8Array, view: DataView) => void,
  ): string => {
    const zip = writeZip(Object.entries(members).map(([n, b]) => [n, b, false]));
    patch?.(zip, new DataView(zip.buffer, zip.byteOffset, zip.byteLength));
    const file = join(models, name);
    writeFileSync(file, zip);
    return file;
  };
  const centralEntry = (zip: Uint8Array, view: DataView, member: string): number => {
    const name = new TextEncoder().encode(member);
    for (let at = zip.length - 22; at >= 0; at--) {
      if (
        view.getUint32(at, true) === 0x02014b50 &&
        view.getUint16(at + 28, true) === name.length &&
        name.every((b, i) => zip[at + 46 + i] === b)
      )
        return at;
    }
    throw new Error(`no central entry for ${member}`);
  };
  const okMembers = openZipArchive(readFileSync(kerasOk), kerasOk);
  const weightsH5 = okMembers.read('model.weights.h5');
  add({
    name: 'keras-without-weights',
    file: zipWith('no-weights.keras', { 'config.json': configBytes }),
    lint: 'loaded',
    read: 'loaded',
    load: /without model\.weights\.h5.*weights: false/,
  });
  add({
    name: 'keras-without-weights-weights-false',
    file: join(models, 'no-weights.keras'),
    loadWeights: false,
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  add({
    name: 'keras-member-lies-about-size',
    file: zipWith('lying-size.keras', { 'config.json': configBytes, 'model.weights.h5': weightsH5 }, (zip, view) => {
      const at = centralEntry(zip, view, 'model.weights.h5');
      view.setUint32(at + 24, view.getUint32(at + 24, true) - 100, true);
    }),
    lint: 'loaded',
    read: /model\.weights\.h5 does not match its declared size and CRC-32/,
    load: /does not match its declared size and CRC-32/,
  });
  add({
    name: 'keras-corrupt-member-never-needed',
    file: zipWith(
      'corrupt-unneeded.keras',
      { 'config.json': configBytes, 'model.weights.h5': weightsH5, 'assets/junk.bin': new Uint8Array(5000).fill(7) },
      (zip, view) => {
        view.setUint32(centralEntry(zip, view, 'assets/junk.bin') + 16, 0xdeadbeef, true);
      },
    ),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  add({
    name: 'keras-member-declares-3gib',
    file: zipWith(
      'bomb-member.keras',
      { 'config.json': configBytes, 'model.weights.h5': weightsH5, 'junk.bin': new Uint8Array(1000) },
      (zip, view) => {
        view.setUint32(centralEntry(zip, view, 'junk.bin') + 24, 3 * 2 ** 30, true);
      },
    ),
    lint: /zip member junk\.bin is too large or expands too much/,
    read: /too large/,
    load: /too large/,
  });
  // A 1000× deflate bomb under the zip-bomb floor with a wrong CRC-32: lint and summary never
  // inflate it (they need config.json only); reading the weights inflates 64 MiB and refuses it.
  add({
    name: 'keras-weights-member-corrupt-bomb',
    file: zipWith(
      'corrupt-bomb-weights.keras',
      { 'config.json': configBytes, 'model.weights.h5': new Uint8Array(64 * 2 ** 20) },
      (zip, view) => {
        view.setUint32(centralEntry(zip, view, 'model.weights.h5') + 16, 0xdeadbeef, true);
      },
    ),
    lint: 'loaded',
    read: /model\.weights\.h5 does not match its declared size and CRC-32/,
    load: /does not match its declared size and CRC-32/,
    cli: { lint: 0, summary: 0, summaryPrinted: /parameter counts computed from the config\)\n$/ },
  });
  add({
    name: 'keras-zip-slip-name',
    file: zipWith('zip-slip.keras', {
      'config.json': configBytes,
      'model.weights.h5': weightsH5,
      '../../outside/evil.txt': new TextEncoder().encode('pwned'),
    }),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });

  // ---- Names and graphs: prototype names, "__proto__" keys, broken graphs, escape sequences.
  addNameAndGraphCases(models, add);

  // ---- HDF5 files, written by h5py.
  const python = '/usr/bin/python3';
  const h5Dir = join(models, 'h5');
  const made = spawnSync(python, [join(HERE, 'make_hostile_h5.py'), h5Dir, outside], { encoding: 'utf8' });
  if (made.status !== 0) {
    return {
      root,
      cases,
      hdf5Skipped: `python3 with h5py could not write the HDF5 cases (${(made.stderr || String(made.error)).trim().split('\n').pop()})`,
    };
  }
  const h5 = (name: string): string => join(h5Dir, name);
  const refusedH5 = (name: string, pattern: RegExp): void =>
    add({ name: `h5-${name}`, file: h5(name), lint: 'loaded', read: pattern, load: pattern });
  add({ name: 'h5-ok', file: h5('ok.h5'), lint: 'loaded', read: 'loaded', load: 'loaded' });
  add({ name: 'h5-ok-keras3-layout', file: h5('ok-keras3.h5'), lint: 'loaded', read: 'loaded', load: 'loaded' });
  refusedH5('external-storage.h5', /dataset tiny\/dense\/kernel: refers to data in another file \(.*canary\.bin\)/);
  refusedH5('external-storage-relative.h5', /dataset tiny\/dense\/kernel: refers to data in another file/);
  refusedH5('external-storage-dev-zero.h5', /refers to data in another file \(\/dev\/zero\)/);
  refusedH5('external-link.h5', /tiny\/dense\/kernel: refers to data in another file \(.*canary\.h5:\/data\)/);
  refusedH5('external-link.weights3.h5', /layers\/dense\/vars\/2: refers to data in another file/);
  refusedH5('virtual-dataset.h5', /refers to data in another file \(a virtual dataset over .*canary\.h5:data\)/);
  refusedH5('soft-link-to-external.h5', OUTSIDE);
  refusedH5('broken-soft-link.h5', /no such dataset|does not exist in the file/);
  add({ name: 'h5-soft-link-inside', file: h5('soft-link-inside.h5'), lint: 'loaded', read: 'loaded', load: 'loaded' });
  add({
    name: 'h5-hard-link-cycle',
    file: h5('hard-link-cycle.weights3.h5'),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  refusedH5(
    'sparse-1gib-eight-times.h5',
    /declares 1\.0 GiB of weights .* in a file of 17 KiB, more than limits\.maxExpansion/,
  );
  add({
    name: 'h5-sparse-1gib-eight-times-raised-expansion',
    file: h5('sparse-1gib-eight-times.h5'),
    limits: { maxExpansion: 1e9 },
    lint: 'loaded',
    read: /more than limits\.maxTotalBytes \(4\.0 GiB\) in total/,
    load: /limits\.maxTotalBytes/,
  });
  refusedH5('gzip-bomb-1gib.h5', /declares 1\.0 GiB of weights .*limits\.maxExpansion/);
  refusedH5('huge-dimensions.h5', /declares shape \[1099511627776, 1048576\].*limits\.maxMemberBytes/);
  refusedH5('string-weights.h5', /unsupported element type/);
  refusedH5('compound-weights.h5', /unsupported element type/);
  add({
    name: 'h5-config-3000-chunks',
    file: h5('config-3000-chunks.h5'),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  add({
    name: 'h5-limit-config',
    file: h5('ok.h5'),
    limits: { maxConfigBytes: 100 },
    lint: /the model_config attribute holds .* more than limits\.maxConfigBytes/,
    read: /limits\.maxConfigBytes/,
    load: /limits\.maxConfigBytes/,
  });
  add({
    name: 'h5-limit-total',
    file: h5('ok.h5'),
    limits: { maxTotalBytes: 16 },
    lint: 'loaded',
    read: /limits\.maxTotalBytes \(16 bytes\)/,
    load: /limits\.maxTotalBytes/,
  });

  // The same HDF5 tricks inside .keras archives (model.weights.h5 in Keras 3 layout).
  const intoKeras = (name: string, h5Name: string): string =>
    zipWith(name, { 'config.json': configBytes, 'model.weights.h5': readFileSync(h5(h5Name)) });
  add({
    name: 'keras-h5-external-link',
    file: intoKeras('external-link.keras', 'external-link.weights3.h5'),
    lint: 'loaded',
    read: /model\.weights\.h5\): layers\/dense\/vars\/2: refers to data in another file/,
    load: OUTSIDE,
  });
  add({
    name: 'keras-h5-hard-link-cycle',
    file: intoKeras('cycle.keras', 'hard-link-cycle.weights3.h5'),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
  });
  return { root, cases };
}
