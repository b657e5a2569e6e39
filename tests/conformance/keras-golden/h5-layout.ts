/**
 * The HDF5 layout of a `.keras` archive's `model.weights.h5`, as comparable text: one line per
 * group (with its `name` attribute, which Keras writes on every `vars` group) and per dataset
 * (with shape and dtype). Values are not part of the layout.
 */
import { readFileSync } from 'node:fs';
import { readZipMembers } from '../../../packages/graph/src/files/zip.js';
import { withHdf5Bytes } from '../../../packages/graph/src/files/hdf5.js';

/** The parts of h5wasm's objects the walk reads (h5wasm is a dependency of @strata/graph only). */
interface H5Entity {
  type: string;
  attrs: Record<string, { value: unknown }>;
  keys(): string[];
  get(key: string): H5Entity | null;
  shape?: number[] | null;
  metadata: { type: number; size: number; signed: boolean };
}

function walk(group: H5Entity, prefix: string, lines: string[]): void {
  for (const key of group.keys().sort()) {
    const path = prefix === '' ? key : `${prefix}/${key}`;
    const entity = group.get(key);
    if (entity === null) continue;
    if (entity.type === 'Dataset') {
      const m = entity.metadata;
      const dtype = `${m.type === 1 ? 'float' : m.signed ? 'int' : 'uint'}${m.size * 8}`;
      lines.push(`${path} [${(entity.shape ?? []).join(',')}] ${dtype}`);
    } else {
      const name = 'name' in entity.attrs ? ` name=${String(entity.attrs['name']!.value)}` : '';
      lines.push(`${path}/${name}`);
      walk(entity, path, lines);
    }
  }
}

/** The layout lines of `model.weights.h5` in a `.keras` file, sorted by path. */
export async function kerasWeightsLayout(kerasPath: string): Promise<string[]> {
  const members = readZipMembers(new Uint8Array(readFileSync(kerasPath)), kerasPath);
  const weights = members.get('model.weights.h5');
  if (weights === undefined) throw new Error(`${kerasPath} has no model.weights.h5`);
  return withHdf5Bytes(weights, kerasPath, (file) => {
    const lines: string[] = [];
    walk(file as unknown as H5Entity, '', lines);
    return lines;
  });
}

/** `config.json` of a `.keras` file. */
export function kerasConfigJson(kerasPath: string): Record<string, unknown> {
  const members = readZipMembers(new Uint8Array(readFileSync(kerasPath)), kerasPath);
  const config = members.get('config.json');
  if (config === undefined) throw new Error(`${kerasPath} has no config.json`);
  return JSON.parse(new TextDecoder().decode(config)) as Record<string, unknown>;
}
