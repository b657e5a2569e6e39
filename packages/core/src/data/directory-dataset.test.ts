import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { indexDirectory } from './directory-index.js';
import { imageDatasetFromDirectory } from './image-dataset.js';
import { textDatasetFromDirectory } from './text-dataset.js';
import type { DatasetBatch, DirectoryDataset } from './directory-dataset.js';

interface FixtureCase {
  name: string;
  formats: string[];
  kwargs: { labels: 'inferred' | null; shuffle: boolean; seed?: number; class_names?: string[] };
  paths: string[];
  labels: number[] | null;
  class_names: string[] | null;
  splits: Record<string, { training: string[]; validation: string[] }>;
}
const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(readFileSync(join(HERE, 'directory-dataset.fixture.json'), 'utf8')) as {
  tree: string[];
  empty_dirs: string[];
  cases: FixtureCase[];
};
const root = mkdtempSync(join(tmpdir(), 'strata-dirdata-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeTree(base: string, files: Record<string, Uint8Array | string>): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), content);
  }
  return base;
}

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(image));
}

async function collect(ds: DirectoryDataset): Promise<DatasetBatch[]> {
  const out: DatasetBatch[] = [];
  for await (const batch of ds) out.push(batch);
  return out;
}

describe('indexDirectory follows Keras 3.15.1 index_directory (fixture made by real Keras)', () => {
  const tree = join(root, 'tree');
  makeTree(tree, Object.fromEntries(FIXTURE.tree.map((rel) => [rel, ''])));
  for (const dir of FIXTURE.empty_dirs) mkdirSync(join(tree, dir), { recursive: true });

  it.each(FIXTURE.cases.map((c) => [c.name, c] as const))(
    '%s: same files, labels, classes and splits',
    async (_, c) => {
      const index = await indexDirectory(tree, {
        labels: c.kwargs.labels,
        formats: c.formats,
        classNames: c.kwargs.class_names ?? null,
        shuffle: c.kwargs.shuffle,
        seed: c.kwargs.seed ?? 0,
      });
      expect(index.filePaths.map((p) => relative(tree, p))).toEqual(c.paths);
      expect(index.labels).toEqual(c.labels);
      expect(index.classNames).toEqual(c.class_names);
      if (c.formats.includes('.txt') && c.kwargs.labels === 'inferred' && c.kwargs.seed !== undefined) {
        for (const [split, want] of Object.entries(c.splits)) {
          const [train, val] = await textDatasetFromDirectory(tree, {
            subset: 'both',
            validationSplit: Number(split),
            seed: c.kwargs.seed,
            ...(c.kwargs.class_names ? { classNames: c.kwargs.class_names } : {}),
          });
          expect(train.filePaths.map((p) => relative(tree, p))).toEqual(want.training);
          expect(val.filePaths.map((p) => relative(tree, p))).toEqual(want.validation);
        }
      }
    },
  );
});

describe('textDatasetFromDirectory', () => {
  const dir = makeTree(join(root, 'text'), {
    'neg/a.txt': 'bad movie',
    'neg/b.txt': 'awful',
    'pos/c.txt': 'great film',
    'pos/d.txt': 'loved it',
    'pos/e.txt': 'fine ✓',
  });

  it('yields string batches with int, categorical and binary labels; maxLength cuts bytes', async () => {
    const ds = await textDatasetFromDirectory(dir, { batchSize: 2, shuffle: false });
    expect(ds.classNames).toEqual(['neg', 'pos']);
    expect(ds.length).toBe(3);
    const before = tf.memory().numTensors;
    const batches = await collect(ds);
    expect(batches.map((b) => b.x.arraySync())).toEqual([
      ['bad movie', 'awful'],
      ['great film', 'loved it'],
      ['fine ✓'],
    ]);
    expect(batches.map((b) => b.y!.arraySync())).toEqual([[0, 0], [1, 1], [1]]);
    expect(batches[0]!.y!.dtype).toBe('int32');
    batches.forEach((b) => tf.dispose([b.x, b.y!]));
    expect(tf.memory().numTensors).toBe(before);
    const categorical = await (
      await textDatasetFromDirectory(dir, { labelMode: 'categorical', shuffle: false, maxLength: 4 })
    ).toTensors();
    expect(categorical.x.arraySync()).toEqual(['bad ', 'awfu', 'grea', 'love', 'fine']);
    expect(categorical.y!.arraySync()).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    const binary = await (await textDatasetFromDirectory(dir, { labelMode: 'binary', shuffle: false })).toTensors();
    expect(binary.y!.shape).toEqual([5, 1]);
    expect(binary.y!.dtype).toBe('float32');
    const unlabelled = await (await textDatasetFromDirectory(dir, { labels: null, shuffle: false })).toTensors();
    expect(unlabelled.y).toBeUndefined();
    tf.dispose([categorical.x, categorical.y!, binary.x, binary.y!, unlabelled.x]);
  });

  it('shuffles with the seed (same seed, same order); batchSize null yields single samples', async () => {
    const a = await textDatasetFromDirectory(dir, { seed: 3 });
    const b = await textDatasetFromDirectory(dir, { seed: 3 });
    expect(a.filePaths).toEqual(b.filePaths);
    expect(a.labels).toEqual(a.filePaths.map((p) => (p.includes('/neg/') ? 0 : 1)));
    const single = await collect(await textDatasetFromDirectory(dir, { batchSize: null, shuffle: false }));
    expect(single).toHaveLength(5);
    expect(single[0]!.x.shape).toEqual([]);
    expect(single[0]!.y!.arraySync()).toBe(0);
    single.forEach((s) => tf.dispose([s.x, s.y!]));
  });

  it('refuses bad options as Keras does, naming them', async () => {
    await expect(textDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' })).rejects.toThrow(
      /give a seed/,
    );
    await expect(textDatasetFromDirectory(dir, { validationSplit: 0.2 })).rejects.toThrow(
      /If subset is set, validationSplit must be set, and inversely/,
    );
    await expect(textDatasetFromDirectory(dir, { validationSplit: 1.5, subset: 'training', seed: 1 })).rejects.toThrow(
      /validationSplit must be between 0 and 1, got 1.5/,
    );
    await expect(textDatasetFromDirectory(dir, { classNames: ['neg', 'nope'] })).rejects.toThrow(
      /not found: \["nope"\]/,
    );
    await expect(textDatasetFromDirectory(join(dir, 'neg'), { labels: 'inferred' })).rejects.toThrow(
      /No text files found in directory/,
    );
    await expect(
      textDatasetFromDirectory(dir, { validationSplit: 0.1, subset: 'validation', seed: 1 }),
    ).resolves.toBeDefined();
    await expect(textDatasetFromDirectory(dir, { validationSplit: 0.1, subset: 'training', seed: 1 })).rejects.toThrow(
      /No training text files found/,
    );
    await expect(textDatasetFromDirectory(join(root, 'missing'))).rejects.toThrow(/does not exist or is not a folder/);
    await expect(
      textDatasetFromDirectory(makeTree(join(root, 'three'), { 'a/x.txt': '', 'b/x.txt': '', 'c/x.txt': '' }), {
        labelMode: 'binary',
      }),
    ).rejects.toThrow(/labelMode "binary" needs exactly 2 classes, got 3/);
  });
});

describe('imageDatasetFromDirectory', () => {
  // 2x2 images: red/black checker in "red", a gray ramp in "gray"; one JPEG.
  const red = png(2, 2, (x, y) => ((x + y) % 2 === 0 ? [255, 0, 0, 255] : [0, 0, 0, 255]));
  const gray = png(2, 2, (x, y) => [60 * (x + 2 * y), 60 * (x + 2 * y), 60 * (x + 2 * y), 128]);
  const jpg = new Uint8Array(jpeg.encode({ width: 4, height: 4, data: new Uint8Array(64).fill(200) }, 100).data);
  const dir = makeTree(join(root, 'images'), {
    'red/a.png': red,
    'gray/b.png': gray,
    'gray/c.jpg': jpg,
    'gray/notes.txt': 'ignored',
  });

  it('decodes PNG/JPEG to float32 [batch, h, w, c] in 0-255, per colorMode, labels from folders', async () => {
    const ds = await imageDatasetFromDirectory(dir, { imageSize: [2, 2], shuffle: false, colorMode: 'rgba' });
    expect(ds.classNames).toEqual(['gray', 'red']);
    expect(ds.filePaths.map((p) => relative(dir, p))).toEqual(['gray/b.png', 'gray/c.jpg', 'red/a.png']);
    const { x, y } = await ds.toTensors();
    expect(x.shape).toEqual([3, 2, 2, 4]);
    expect(x.dtype).toBe('float32');
    expect((x.arraySync() as number[][][][])[0]).toEqual([
      [
        [0, 0, 0, 128],
        [60, 60, 60, 128],
      ],
      [
        [120, 120, 120, 128],
        [180, 180, 180, 128],
      ],
    ]);
    expect((x.arraySync() as number[][][][])[2]![0]).toEqual([
      [255, 0, 0, 255],
      [0, 0, 0, 255],
    ]);
    expect(y!.arraySync()).toEqual([0, 0, 1]);
    const grayscale = await (
      await imageDatasetFromDirectory(dir, {
        imageSize: [2, 2],
        shuffle: false,
        colorMode: 'grayscale',
        labelMode: 'categorical',
      })
    ).toTensors();
    expect(grayscale.x.shape).toEqual([3, 2, 2, 1]);
    expect((grayscale.x.arraySync() as number[][][][])[2]).toEqual([
      [[76], [0]],
      [[0], [76]],
    ]);
    expect(grayscale.y!.arraySync()).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    tf.dispose([x, y!, grayscale.x, grayscale.y!]);
  });

  it('resizes with half-pixel-centre bilinear (as tf.image.resize): a 2x2 image upsampled to 4x4', async () => {
    const { x } = await (
      await imageDatasetFromDirectory(join(dir, '..', 'images'), {
        imageSize: [4, 4],
        shuffle: false,
        colorMode: 'grayscale',
        labels: null,
      })
    ).toTensors();
    // Gray ramp 0, 60 / 120, 180: TF's resize gives rows 0,15,45,60 for the first row (half-pixel centres, edges clamped).
    expect((x.arraySync() as number[][][][])[0]!.map((row) => row.map((p) => p[0]))).toEqual([
      [0, 15, 45, 60],
      [30, 45, 75, 90],
      [90, 105, 135, 150],
      [120, 135, 165, 180],
    ]);
    x.dispose();
  });

  it('refuses images over maxPixels before decoding, and GIFs, naming the file', async () => {
    await expect((await imageDatasetFromDirectory(dir, { maxPixels: 3, shuffle: false })).toTensors()).rejects.toThrow(
      /b\.png: the image declares 2x2 pixels, more than maxPixels \(3\)/,
    );
    const gif = makeTree(join(root, 'gif'), { 'a/x.gif': 'GIF89a' });
    await expect((await imageDatasetFromDirectory(gif)).toTensors()).rejects.toThrow(
      /x\.gif: only PNG and JPEG images can be decoded/,
    );
    await expect(imageDatasetFromDirectory(dir, { colorMode: 'cmyk' as 'rgb' })).rejects.toThrow(
      /colorMode must be "grayscale", "rgb" or "rgba", got "cmyk"/,
    );
  });
});
