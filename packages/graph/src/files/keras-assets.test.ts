import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { assetPathProblem } from './keras-assets.js';
import { readModelFile } from './read-model-file.js';
import { writeKerasArchive } from './write-keras-archive.js';
import { openZipArchive, writeZip } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-assets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config: JsonObject = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'seq',
    trainable: true,
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { name: 'input_layer', batch_shape: [null, 1], dtype: 'string' },
        registered_name: null,
      },
      {
        module: 'keras.layers',
        class_name: 'StringLookup',
        config: { name: 'string_lookup', output_mode: 'int', vocabulary: null, vocabulary_size: 3 },
        registered_name: null,
      },
    ],
  },
  registered_name: null,
};
const vocabulary = new TextEncoder().encode('[UNK]\nb\na');

async function archiveWith(name: string, extra: [string, Uint8Array][]): Promise<string> {
  const good = join(dir, 'good.keras');
  await writeKerasArchive(good, {
    config,
    weights: [],
    assets: new Map([['layers/string_lookup/vocabulary.txt', vocabulary]]),
  });
  const archive = openZipArchive(new Uint8Array(readFileSync(good)), good);
  const members: [string, Uint8Array, boolean][] = [...archive.members.keys()].map((n) => [n, archive.read(n), true]);
  for (const [member, bytes] of extra) members.push([member, bytes, false]);
  const path = join(dir, name);
  writeFileSync(path, writeZip(members));
  return path;
}

describe('.keras assets', () => {
  it('writes assets under assets/ and reads them back by their path inside it', async () => {
    const path = await archiveWith('plain.keras', [['assets/', new Uint8Array(0)]]);
    const file = await readModelFile(path);
    expect(file.model.layers.map((l) => l.className)).toEqual(['InputLayer', 'StringLookup']);
    expect(file.assets?.()).toEqual(new Map([['layers/string_lookup/vocabulary.txt', vocabulary]]));
    const none = join(dir, 'none.keras');
    await writeKerasArchive(none, { config, weights: [] });
    expect((await readModelFile(none)).assets).toBeUndefined();
  });

  it('refuses member names that are not plain relative paths, naming the member', async () => {
    for (const [name, problem] of [
      ['assets/../config.json', 'it has the segment ".."'],
      ['assets//etc/passwd', 'it is absolute'],
      ['assets/a//b', 'it has the segment ""'],
      ['assets/a\\..\\b', 'it contains a backslash or a control character'],
      ['assets/./x', 'it has the segment "."'],
    ] as const) {
      const path = await archiveWith('bad.keras', [[name, new Uint8Array([1])]]);
      const file = await readModelFile(path);
      expect(() => file.assets!()).toThrow(`zip member ${JSON.stringify(name)} is not a valid asset name: ${problem}`);
    }
    expect(assetPathProblem('/abs')).toBe('it is absolute');
    expect(assetPathProblem('C:x')).toBe('it is absolute');
    await expect(
      writeKerasArchive(join(dir, 'w.keras'), { config, weights: [], assets: new Map([['../x', vocabulary]]) }),
    ).rejects.toThrow(/cannot write asset "\.\.\/x": it has the segment "\.\."/);
  });

  it('bounds each asset by maxConfigBytes before inflating it (and all members by the zip limits)', async () => {
    const path = await archiveWith('big.keras', [['assets/layers/string_lookup/extra.txt', new Uint8Array(4096)]]);
    const file = await readModelFile(path, { limits: { maxConfigBytes: 1024 } });
    expect(() => file.assets!()).toThrow(
      /asset assets\/layers\/string_lookup\/extra\.txt declares 4\.0 KiB, more than limits\.maxConfigBytes/,
    );
    await expect(readModelFile(path, { limits: { maxTotalBytes: 2048 } })).rejects.toThrow(
      /more than limits\.maxTotalBytes/,
    );
  });
});
