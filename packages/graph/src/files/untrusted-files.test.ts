/**
 * Unit checks of the untrusted-file defences in @strata/graph (the full hostile corpus,
 * with HDF5 tricks and memory bounds, is tests/security/hostile-files.test.ts): limits,
 * lazy zip members, TF.js shard paths, and HDF5 read and written without scratch files.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { ModelFileError } from './errors.js';
import { checkDeclaredShape, resolveLimits } from './limits.js';
import { readModelFile } from './read-model-file.js';
import { readTfjsWeights } from './tfjs-weights.js';
import { writeKerasArchive } from './write-keras-archive.js';
import { openZipArchive, writeZip } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-untrusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config: JsonObject = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'tiny',
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
        config: { name: 'dense', units: 1, activation: 'linear', use_bias: false },
        registered_name: null,
      },
    ],
  },
  registered_name: null,
};

describe('limits', () => {
  it('refuses declared shapes that are negative, fractional, not numbers or too large, naming the dimension', () => {
    const limits = resolveLimits({ maxMemberBytes: 1000 });
    const check = (shape: unknown): number => checkDeclaredShape(shape, 4, limits, 'f.json', 'weight w');
    expect(check([2, 3])).toBe(6);
    expect(check([])).toBe(1);
    expect(() => check([2, -1])).toThrow(
      /f\.json: weight w declares shape \[2, -1\]: dimension 1 \(-1\) is not a non-negative integer/,
    );
    expect(() => check([1.5])).toThrow(/dimension 0 \(1\.5\)/);
    expect(() => check(['2'])).toThrow(/dimension 0 \("2"\)/);
    expect(() => check([2 ** 60, 2 ** 60])).toThrow(ModelFileError);
    expect(() => check([251])).toThrow(
      /more than limits\.maxMemberBytes \(1000 bytes\); if the file is trusted, raise limits\.maxMemberBytes/,
    );
    expect(() => check('2x3')).toThrow(/has no shape list/);
  });
  it('refuses limits that are not positive numbers', () => {
    expect(() => resolveLimits({ maxTotalBytes: 0 })).toThrow(/limits\.maxTotalBytes must be a positive number/);
    expect(resolveLimits(undefined).maxTotalBytes).toBe(4 * 2 ** 30);
  });
});

describe('zip members are inflated only when asked for, and must match their declared size and CRC-32', () => {
  const member = (text: string): Uint8Array => new TextEncoder().encode(text);
  const zip = writeZip([
    ['config.json', member(JSON.stringify(config)), false],
    ['junk.bin', new Uint8Array(4000).fill(9), false],
  ]);
  // Break junk.bin's CRC-32 in the central directory.
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 22; at >= 0; at--) {
    if (
      view.getUint32(at, true) === 0x02014b50 &&
      new TextDecoder().decode(zip.subarray(at + 46, at + 54)) === 'junk.bin'
    )
      view.setUint32(at + 16, 1, true);
  }

  it('reads config.json without touching a corrupt member nobody needs', async () => {
    const path = join(dir, 'lazy.keras');
    writeFileSync(path, zip);
    expect((await readModelFile(path)).model.name).toBe('tiny');
    expect(() => openZipArchive(zip, path).read('junk.bin')).toThrow(
      /member junk\.bin does not match its declared size and CRC-32/,
    );
  });
  it('checks the total of all declared sizes before inflating anything', () => {
    expect(() => openZipArchive(zip, 'z.keras', { maxTotalBytes: 1000 })).toThrow(
      /zip members declare .* in total, more than limits\.maxTotalBytes \(1000 bytes\)/,
    );
  });
});

describe('TF.js shards come only from regular files inside the model folder', () => {
  const folder = join(dir, 'tfjs');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'outside.bin'), new Uint8Array(8));
  symlinkSync('../outside.bin', join(folder, 'link.bin'));
  const read = (path: string): Promise<unknown> =>
    readTfjsWeights(
      { weightsManifest: [{ paths: [path], weights: [{ name: 'd/k', shape: [2], dtype: 'float32' }] }] },
      join(folder, 'model.json'),
    );

  it.each([
    [join(dir, 'outside.bin'), /is an absolute path/],
    ['../outside.bin', /points outside the model's folder/],
    ['link.bin', /is a link to .*outside\.bin, outside the model's folder/],
    ['/dev/zero', /is an absolute path/],
    ['sub', /"sub" is a directory; only regular files are read/],
  ])('%s is refused', async (path, message) => {
    await expect(read(path)).rejects.toThrow(ModelFileError);
    await expect(read(path)).rejects.toThrow(message);
  });
});

describe('HDF5 is read and written in memory', () => {
  it('leaves no scratch files in the temp folder', async () => {
    // TMPDIR (read by os.tmpdir() on every call) names a folder that does not exist: any
    // scratch file would fail to be written, and other processes' files cannot interfere.
    const privateTmp = join(dir, 'no-such-tmp');
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = privateTmp;
    try {
      const path = join(dir, 'mem.keras');
      await writeKerasArchive(path, {
        config,
        weights: [
          {
            path: 'layers/dense/vars/0',
            layerName: 'dense',
            shape: [2, 1],
            dtype: 'float32',
            data: Float32Array.of(3, 4),
          },
        ],
      });
      const weights = await (await readModelFile(path)).weights!();
      expect(Array.from(weights[0]!.data)).toEqual([3, 4]);
      expect(existsSync(privateTmp)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});
