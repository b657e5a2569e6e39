/**
 * Reads the weights of a TF.js Layers model (`model.json` `weightsManifest` plus
 * `.bin` shards), including uint8/uint16 affine and float16 quantization.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFileError } from './errors.js';
import { decodeFloat16 } from './half-float.js';
import type { WeightEntry } from './types.js';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2,
};

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a TF.js `model.json` has a non-empty weights manifest. */
export function hasTfjsWeights(modelJson: JsonObject): boolean {
  const manifest = modelJson['weightsManifest'];
  return Array.isArray(manifest) && manifest.length > 0;
}

/**
 * Reads every weight listed in the manifest of `modelJson`, resolving shard paths
 * relative to the `model.json` file.
 *
 * @throws ModelFileError naming the shard or weight when a shard is missing or short
 */
export async function readTfjsWeights(modelJson: JsonObject, modelJsonPath: string): Promise<WeightEntry[]> {
  const manifest = modelJson['weightsManifest'];
  if (!Array.isArray(manifest)) return [];
  const weights: WeightEntry[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new ModelFileError(modelJsonPath, 'has a malformed weightsManifest entry (expected {paths, weights})');
    }
    const shards: Uint8Array[] = [];
    for (const shardPath of group['paths']) {
      const full = resolve(dirname(modelJsonPath), String(shardPath));
      try {
        shards.push(await readFile(full));
      } catch {
        throw new ModelFileError(modelJsonPath, `weight shard ${String(shardPath)} could not be read (looked for ${full})`);
      }
    }
    const bytes = concatenate(shards);
    let offset = 0;
    for (const spec of group['weights']) {
      const weight = decodeWeight(spec, bytes, offset, modelJsonPath);
      offset += weight.byteLength;
      weights.push(weight.entry);
    }
  }
  return weights;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function decodeWeight(
  spec: JsonValue,
  bytes: Uint8Array,
  offset: number,
  file: string,
): { entry: WeightEntry; byteLength: number } {
  if (!isObject(spec) || typeof spec['name'] !== 'string' || !Array.isArray(spec['shape'])) {
    throw new ModelFileError(file, 'has a weightsManifest weight without a name or shape');
  }
  const name = spec['name'];
  const shape = spec['shape'].map(Number);
  const dtype = typeof spec['dtype'] === 'string' ? spec['dtype'] : 'float32';
  const quantization = isObject(spec['quantization']) ? spec['quantization'] : undefined;
  const storedDtype = quantization && typeof quantization['dtype'] === 'string' ? quantization['dtype'] : dtype;
  const elementBytes = BYTES_PER_ELEMENT[storedDtype];
  if (elementBytes === undefined) {
    throw new ModelFileError(file, `weight ${name} has unsupported dtype ${storedDtype} (supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`);
  }
  const count = shape.reduce((product, size) => product * size, 1);
  const byteLength = count * elementBytes;
  if (offset + byteLength > bytes.length) {
    throw new ModelFileError(file, `weight shards are too short: ${name} needs bytes ${offset}..${offset + byteLength}, shards hold ${bytes.length}`);
  }
  // A copy, so that typed arrays built on `view.buffer` start at this weight (a Node Buffer's slice is a view).
  const view = new Uint8Array(bytes.subarray(offset, offset + byteLength));
  const layerName = name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
  const entry = (data: Float32Array | Int32Array): WeightEntry =>
    layerName === undefined ? { path: name, shape, dtype, data } : { path: name, layerName, shape, dtype, data };
  let data: Float32Array | Int32Array;
  if (storedDtype === 'float16') {
    data = decodeFloat16(view, count, true);
  } else if (quantization && (storedDtype === 'uint8' || storedDtype === 'uint16')) {
    const scale = Number(quantization['scale'] ?? 1);
    const min = Number(quantization['min'] ?? 0);
    const raw = storedDtype === 'uint8' ? view : new Uint16Array(view.buffer, 0, count);
    data = Float32Array.from(raw, (q) => q * scale + min);
    if (dtype === 'int32') data = Int32Array.from(data, Math.round);
  } else if (storedDtype === 'float32') {
    data = new Float32Array(view.buffer, 0, count);
  } else if (storedDtype === 'int32') {
    data = new Int32Array(view.buffer, 0, count);
  } else {
    data = Int32Array.from(view);
  }
  return { entry: entry(data), byteLength };
}
