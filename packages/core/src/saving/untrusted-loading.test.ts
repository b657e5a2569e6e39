/**
 * loadModel / loadModelWeights on untrusted files (issue 8): weights the model does not
 * expect are refused before any array is read, a file without its weights is refused
 * unless `{ weights: false }`, and a FIFO cannot hang loadModelWeights. The hostile corpus
 * in tests/security covers the file-format tricks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ModelFileError, writeKerasArchive, type JsonObject } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../engine/input-layer.js';
import { Sequential } from '../engine/sequential.js';
import '../layers/index.js';
import { Dense } from '../layers/core/dense.js';
import { kerasConfigOf, loadModel, loadModelWeights, ModelLoadError } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-untrusted-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyModel(): Sequential {
  return new Sequential([Input([2]), new Dense(3, { name: 'dense' })]);
}

describe('loading untrusted files with loadModel / loadModelWeights', () => {
  it("refuses a .keras whose model.weights.h5 lacks the layers' arrays; { weights: false } loads the architecture only", async () => {
    const model = tinyModel();
    const path = join(dir, 'no-weights.keras');
    await writeKerasArchive(path, { config: kerasConfigOf(model), weights: [] });
    model.dispose();
    // (A .keras with no model.weights.h5 member at all: tests/security/hostile-corpus.ts.)
    await expect(loadModel(path)).rejects.toThrow(ModelLoadError);
    const before = tf.memory().numTensors;
    const architecture = await loadModel(path, { weights: false });
    expect(architecture.weights.map((w) => w.shape)).toEqual([[2, 3], [3]]);
    architecture.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('compares declared shapes with the model before reading any array', async () => {
    const path = join(dir, 'wrong-shape.keras');
    const model = tinyModel();
    const config = kerasConfigOf(model) as JsonObject;
    model.dispose();
    await writeKerasArchive(path, {
      config,
      weights: [
        {
          path: 'layers/dense/vars/0',
          layerName: 'dense',
          shape: [5, 3],
          dtype: 'float32',
          data: new Float32Array(15),
        },
        { path: 'layers/dense/vars/1', layerName: 'dense', shape: [3], dtype: 'float32', data: new Float32Array(3) },
      ],
    });
    const before = tf.memory().numTensors;
    await expect(loadModel(path)).rejects.toThrow(
      /weight kernel expects shape \(2, 3\), but .*wrong-shape\.keras has shape \(5, 3\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('applies the limits to loadModelWeights', async () => {
    const model = tinyModel();
    const path = join(dir, 'ok.weights.h5');
    await model.saveWeights(path);
    await expect(loadModelWeights(model, path, { limits: { maxTotalBytes: 8 } })).rejects.toThrow(
      /limits\.maxTotalBytes \(8 bytes\)/,
    );
    await loadModelWeights(model, path);
    model.dispose();
  });

  it.skipIf(spawnSync('mkfifo', ['--version']).status !== 0)(
    'refuses a FIFO in loadModelWeights instead of hanging',
    async () => {
      const fifo = join(dir, 'fifo.weights.h5');
      execFileSync('mkfifo', [fifo]);
      const model = tinyModel();
      await expect(loadModelWeights(model, fifo)).rejects.toThrow(ModelFileError);
      await expect(loadModelWeights(model, fifo)).rejects.toThrow(/is a FIFO/);
      model.dispose();
    },
  );
});
