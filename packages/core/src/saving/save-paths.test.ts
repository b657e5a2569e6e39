/** saveModel / saveModelWeights into bad paths give the library's error, naming the path. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileError } from '@strata/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { Input } from '../engine/input-layer.js';
import { Sequential } from '../engine/sequential.js';
import { Dense } from '../layers/core/dense.js';
import { saveModel, saveModelWeights } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-save-paths-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving to a bad path', () => {
  it('under a regular file: ModelFileError naming the path and the file in the way, no leftovers', async () => {
    const model = new Sequential([Input([2]), new Dense(1)]);
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x');
    const target = join(file, 'model.keras');
    await expect(saveModel(model, target)).rejects.toThrow(ModelFileError);
    await expect(saveModel(model, target)).rejects.toThrow(
      `${target}: could not be written: ${file} is a file, not a folder`,
    );
    await expect(saveModelWeights(model, join(file, 'm.weights.h5'))).rejects.toThrow(/is a file, not a folder/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    model.dispose();
  });
});
