import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors.js';
import { readModelFile } from './read-model-file.js';
import { HAVE_REAL_MODELS, realModel } from './test-paths.test-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(path: string): Promise<ModelFileError> {
  try {
    await readModelFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    const message = (error as Error).message;
    expect(message.startsWith(`${path}: `)).toBe(true);
    // A summary, not a raw dump of fflate/HDF5 internals.
    expect(message).not.toMatch(/\n|H5F\.c|at .*\.js/);
    return error as ModelFileError;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('bad model files give one clear ModelFileError naming the file', () => {
  it('missing file', async () => {
    expect((await failure(join(dir, 'nope.keras'))).message).toMatch(/does not exist/);
  });
  it('a directory', async () => {
    expect((await failure(dir)).message).toMatch(/is a directory/);
  });
  it('empty file', async () => {
    expect((await failure(put('empty.keras', ''))).message).toMatch(/is empty/);
  });
  it('whitespace-only JSON', async () => {
    expect((await failure(put('blank.json', '  \n'))).message).toMatch(/is empty/);
  });
  it('wrong format (a PNG header)', async () => {
    const message = (await failure(put('image.h5', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])))).message;
    expect(message).toMatch(/is not a model file.*89 50 4e 47/);
  });
  it('truncated JSON', async () => {
    expect((await failure(put('cut.json', '{"class_name": "Sequential", "config": {"layers": ['))).message).toMatch(
      /not valid JSON.*truncated/,
    );
  });
  it('JSON that is not a model config', async () => {
    expect((await failure(put('package.json', '{"name": "x", "version": "1.0.0"}'))).message).toMatch(
      /not a model config/,
    );
  });
  it('zip without config.json', async () => {
    const message = (await failure(put('other.keras', zipSync({ 'readme.txt': new TextEncoder().encode('hi') }))))
      .message;
    expect(message).toMatch(/without config\.json.*readme\.txt/);
  });
  it('zip whose config.json is not JSON', async () => {
    expect(
      (await failure(put('badcfg.keras', zipSync({ 'config.json': new TextEncoder().encode('{oops') })))).message,
    ).toMatch(/config\.json is not valid JSON/);
  });
  it('corrupt zip (random bytes after the zip magic)', async () => {
    const bytes = new Uint8Array(200).map((_, i) => (i * 37) % 251);
    bytes.set([0x50, 0x4b, 0x03, 0x04]);
    expect((await failure(put('garbage.keras', bytes))).message).toMatch(/corrupt or truncated zip/);
  });
  it('a zip member claiming to expand to 4 GB (decompression bomb) is refused before unpacking', async () => {
    const zip = zipSync({ 'config.json': new TextEncoder().encode('{}') }, { level: 9 });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let central = -1;
    for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) central = i;
    // Uncompressed size field of the central directory entry.
    view.setUint32(central + 24, 0xf0000000, true);
    expect((await failure(put('bomb.keras', zip))).message).toMatch(
      /zip member config\.json is too large or expands too much/,
    );
  });
  it('corrupt HDF5 (signature then garbage)', async () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 91) % 253);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await failure(put('garbage.h5', bytes))).message).toMatch(/not a readable HDF5 file/);
  });

  describe.skipIf(!HAVE_REAL_MODELS)(
    'from real files (needs ../shared/fixtures/real-models; skipped when absent)',
    () => {
      it('truncated .keras zip', async () => {
        const whole = readFileSync(realModel('fashion_mnist_cnn.keras'));
        expect((await failure(put('half.keras', whole.subarray(0, whole.length / 2)))).message).toMatch(
          /corrupt or truncated zip/,
        );
      });
      it('truncated .h5', async () => {
        const whole = readFileSync(realModel('dl4j_wgan_discriminator.h5'));
        expect((await failure(put('half.h5', whole.subarray(0, 1000)))).message).toMatch(/HDF5/);
      });
      it('a .keras name on an HDF5 file and an .h5 name on a zip are read by content', async () => {
        const h5AsKeras = join(dir, 'really-h5.keras');
        copyFileSync(realModel('dl4j_mlp_0.h5'), h5AsKeras);
        expect((await readModelFile(h5AsKeras)).format).toBe('keras-h5');
        const zipAsH5 = join(dir, 'really-zip.h5');
        copyFileSync(realModel('fashion_mnist_cnn.keras'), zipAsH5);
        expect((await readModelFile(zipAsH5)).format).toBe('keras-zip');
      });
      it('an HDF5 file behind a 512-byte user block is still recognised', async () => {
        const whole = readFileSync(realModel('dl4j_mlp_0.h5'));
        const padded = new Uint8Array(512 + whole.length);
        padded.set(whole, 512);
        // HDF5 addresses are relative to the superblock, so the shifted file reads as is.
        const file = await readModelFile(put('userblock.h5', padded));
        expect(file.format).toBe('keras-h5');
        expect(file.model.layers.map((l) => l.className)).toContain('Dense');
      });
    },
  );
});
