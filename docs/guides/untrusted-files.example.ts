/**
 * The code of untrusted-files.md. Every `// #region` below appears verbatim in the guide, and
 * docs/guides/guides.test.ts type-checks this file and runs `main()` on small hostile files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// #region imports
import { Input, ModelFileError, ModelLoadError, Sequential, layers, loadModel } from '@strata/core';
import { readModelFile } from '@strata/graph';
// #endregion imports

/** Builds a few hostile files and shows how loading refuses them; returns the errors' class names and messages. */
export async function main(): Promise<{ refused: { error: string; message: string }[]; loaded: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-guide-'));
  try {
    // Three hostile files: a shard path leaving its folder, a Lambda layer, and a file that lies about its format.
    const topology = (layer: object): object => ({
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'in' } }, layer],
      },
    });
    const dense = { class_name: 'Dense', config: { name: 'd', units: 1 } };
    const shard = {
      paths: ['../../etc/passwd'],
      weights: [
        { name: 'd/kernel', shape: [2, 1], dtype: 'float32' },
        { name: 'd/bias', shape: [1], dtype: 'float32' },
      ],
    };
    writeFileSync(
      join(dir, 'escape.json'),
      JSON.stringify({ format: 'layers-model', modelTopology: topology(dense), weightsManifest: [shard] }),
    );
    const lambda = { class_name: 'Lambda', config: { name: 'evil', function: ['4wEAAAAAAAAA', null, null] } };
    writeFileSync(
      join(dir, 'lambda.json'),
      JSON.stringify({ format: 'layers-model', modelTopology: topology(lambda), weightsManifest: [] }),
    );
    writeFileSync(join(dir, 'fake.keras'), 'not a zip archive');
    const trusted = new Sequential([Input([2]), new layers.Dense(1)], { name: 'trusted' });
    await trusted.save(join(dir, 'big.keras'));

    // #region refuse
    const refused: { error: string; message: string }[] = [];
    for (const file of ['escape.json', 'lambda.json', 'fake.keras']) {
      try {
        await loadModel(join(dir, file));
      } catch (error) {
        // ModelFileError for the file itself, ModelLoadError for its config and shapes; the
        // message names the file and what is wrong.
        if (!(error instanceof ModelFileError || error instanceof ModelLoadError)) throw error;
        refused.push({ error: error.name, message: error.message });
      }
    }
    console.log(refused);
    // #endregion refuse

    // #region limits
    // Tight limits for files from strangers (the defaults allow 4 GiB per file) ...
    const limits = { maxTotalBytes: 64 * 2 ** 20, maxConfigBytes: 2 ** 20 };
    const model = await loadModel(join(dir, 'big.keras'), { limits });
    // ... raised, only for files you trust, the same way everywhere:
    const file = await readModelFile(join(dir, 'big.keras'), { limits: { maxMemberBytes: 3 * 2 ** 30 } });
    console.log(model.name, file.format);
    // #endregion limits
    try {
      await loadModel(join(dir, 'big.keras'), { limits: { maxTotalBytes: 4 } });
    } catch (error) {
      if (!(error instanceof ModelFileError || error instanceof ModelLoadError)) throw error;
      refused.push({ error: error.name, message: error.message });
    }
    const loaded = `${model.name} ${file.format}`;
    model.dispose();
    trusted.dispose();
    return { refused, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
