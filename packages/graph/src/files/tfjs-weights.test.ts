import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBfloat16, decodeFloat16, float16BitsToNumber } from './half-float.js';
import { readTfjsWeights } from './tfjs-weights.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-tfjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('16-bit floats', () => {
  it('decodes IEEE half bit patterns', () => {
    expect(float16BitsToNumber(0x3c00)).toBe(1);
    expect(float16BitsToNumber(0xc000)).toBe(-2);
    expect(float16BitsToNumber(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(float16BitsToNumber(0x7e00))).toBe(true);
    expect(Array.from(decodeFloat16(new Uint8Array([0x00, 0x3c, 0x00, 0xc0]), 2))).toEqual([1, -2]);
  });
  it('decodes bfloat16 as the top half of a float32', () => {
    expect(Array.from(decodeBfloat16(new Uint8Array([0x80, 0x3f, 0x40, 0xc0]), 2))).toEqual([1, -3]);
  });
});

describe('readTfjsWeights', () => {
  const shard = (name: string, ...parts: Uint8Array[]): void => {
    writeFileSync(join(dir, name), Buffer.concat(parts));
  };

  it('reads float32 across two shards, uint8/uint16 affine quantization and float16', async () => {
    const floats = new Uint8Array(Float32Array.of(1.5, -2, 3, 4).buffer);
    shard('a1.bin', floats.subarray(0, 6));
    shard(
      'a2.bin',
      floats.subarray(6),
      new Uint8Array([0, 2, 4]),
      new Uint8Array(Uint16Array.of(0, 10).buffer),
      new Uint8Array([0x00, 0x3c]),
    );
    const modelJsonPath = join(dir, 'model.json');
    const weights = await readTfjsWeights(
      {
        weightsManifest: [
          {
            paths: ['a1.bin', 'a2.bin'],
            weights: [
              { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' },
              {
                name: 'dense/bias',
                shape: [3],
                dtype: 'float32',
                quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
              },
              {
                name: 'emb/embeddings',
                shape: [2],
                dtype: 'float32',
                quantization: { dtype: 'uint16', scale: 0.1, min: 0 },
              },
              { name: 'out/kernel', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
            ],
          },
        ],
      },
      modelJsonPath,
    );
    expect(weights.map((w) => [w.path, w.layerName, w.shape])).toEqual([
      ['dense/kernel', 'dense', [2, 2]],
      ['dense/bias', 'dense', [3]],
      ['emb/embeddings', 'emb', [2]],
      ['out/kernel', 'out', [1]],
    ]);
    expect(Array.from(weights[0]!.data)).toEqual([1.5, -2, 3, 4]);
    expect(Array.from(weights[1]!.data)).toEqual([-1, 0, 1]);
    expect(weights[2]!.data[1]).toBeCloseTo(1, 6);
    expect(Array.from(weights[3]!.data)).toEqual([1]);
  });

  it('reads every weight of a single shard from its own offset (float32, int32, float16, uint16)', async () => {
    // One shard is the common case: the bytes are a Buffer view, so offsets must be honoured.
    const kernel = Float32Array.of(1, 2, 3, 4);
    const bias = Float32Array.of(5, 6);
    const ids = Int32Array.of(7, 8, 9);
    const half = Uint16Array.of(0x4800, 0x4880); // 8, 9 as float16
    const quantized = Uint16Array.of(10, 11); // uint16 affine, scale 1
    shard('one.bin', ...[kernel, bias, ids, half, quantized].map((a) => new Uint8Array(a.buffer)));
    const weights = await readTfjsWeights(
      {
        weightsManifest: [
          {
            paths: ['one.bin'],
            weights: [
              { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' },
              { name: 'dense/bias', shape: [2], dtype: 'float32' },
              { name: 'emb/ids', shape: [3], dtype: 'int32' },
              { name: 'out/kernel', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
              { name: 'out/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 1, min: 0 } },
            ],
          },
        ],
      },
      join(dir, 'one.json'),
    );
    expect(weights.map((w) => Array.from(w.data))).toEqual([
      [1, 2, 3, 4],
      [5, 6],
      [7, 8, 9],
      [8, 9],
      [10, 11],
    ]);
  });

  it('names the missing shard and a short shard', async () => {
    const modelJsonPath = join(dir, 'm.json');
    await expect(
      readTfjsWeights({ weightsManifest: [{ paths: ['missing.bin'], weights: [] }] }, modelJsonPath),
    ).rejects.toThrow(/m\.json: weight shard missing\.bin could not be read/);
    shard('short.bin', new Uint8Array(4));
    await expect(
      readTfjsWeights(
        { weightsManifest: [{ paths: ['short.bin'], weights: [{ name: 'd/k', shape: [2], dtype: 'float32' }] }] },
        modelJsonPath,
      ),
    ).rejects.toThrow(/too short: d\/k needs bytes 0\.\.8, shards hold 4/);
  });
});
