/**
 * `writeModelConfigFile`: replaces only the model config of an existing file.
 *
 * @packageDocumentation
 */
import { statSync } from 'node:fs';
import type { JsonObject } from '../ir.js';
import { writeFileAtomic } from './atomic-write.js';
import { ModelFileError } from './errors.js';
import { editHdf5Bytes } from './hdf5.js';
import { parseJsonObject, readFileBytes } from './raw-model-file.js';
import { sniffContainer } from './sniff.js';
import { readZipMembers, writeZip } from './zip.js';

/**
 * Rewrites the model config of an existing model file, keeping everything else
 * (weights, metadata, other members and attributes) byte for byte:
 * - JSON files: the whole document is replaced; for a TF.js `model.json`, a config
 *   without `modelTopology` replaces just `modelTopology` (the manifest is kept);
 * - `.keras` zips: `config.json` is replaced;
 * - legacy `.h5`: the `model_config` attribute is replaced.
 * Writes go to a temp file beside the original, then rename over it.
 *
 * @throws ModelFileError when the file is not a model file or cannot be written
 */
export async function writeModelConfigFile(originalPath: string, newConfig: JsonObject): Promise<void> {
  const bytes = await readFileBytes(originalPath);
  // The rewritten file keeps the original's permissions.
  const mode = statSync(originalPath).mode;
  const kind = sniffContainer(bytes);
  if (kind === 'json') {
    const text = new TextDecoder().decode(bytes);
    const original = parseJsonObject(text, originalPath);
    const isTfjs = 'modelTopology' in original;
    const document = isTfjs && !('modelTopology' in newConfig) ? { ...original, modelTopology: newConfig } : newConfig;
    await writeFileAtomic(
      originalPath,
      `${JSON.stringify(document, null, detectIndent(text))}${text.endsWith('\n') ? '\n' : ''}`,
      mode,
    );
    return;
  }
  if (kind === 'zip') {
    const members = readZipMembers(bytes, originalPath);
    if (!members.has('config.json'))
      throw new ModelFileError(originalPath, 'is a zip archive without config.json, so not a Keras .keras file');
    members.set('config.json', new TextEncoder().encode(JSON.stringify(newConfig)));
    await writeFileAtomic(
      originalPath,
      writeZip([...members].map(([name, data]) => [name, data, name.endsWith('.h5')])),
      mode,
    );
    return;
  }
  if (kind === 'hdf5') {
    await rewriteHdf5ModelConfig(originalPath, bytes, newConfig, mode);
    return;
  }
  throw new ModelFileError(
    originalPath,
    kind === 'empty' ? 'is empty' : 'is not a model file (expected JSON, a .keras zip or HDF5)',
  );
}

/** The indentation of a JSON text (`0` for one-line JSON), so rewrites keep the file's style. */
function detectIndent(text: string): number | string {
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match) return 0;
  return match[1]!.startsWith('\t') ? '\t' : match[1]!.length;
}

async function rewriteHdf5ModelConfig(
  originalPath: string,
  bytes: Uint8Array,
  newConfig: JsonObject,
  mode: number,
): Promise<void> {
  // The HDF5 file is edited in memory, then written beside the original and renamed over it.
  const edited = await editHdf5Bytes(bytes, originalPath, (file) => {
    const names = Object.keys(file.attrs).filter((name) => /^model_config\d*$/.test(name));
    if (names.length === 0) throw new ModelFileError(originalPath, 'has no model_config attribute to rewrite');
    for (const name of names) file.delete_attribute(name);
    file.create_attribute('model_config', JSON.stringify(newConfig));
  });
  await writeFileAtomic(originalPath, edited, mode);
}
