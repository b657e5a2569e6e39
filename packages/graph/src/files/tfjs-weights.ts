/**
 * Reads the weights of a TF.js Layers model (`model.json` `weightsManifest` plus
 * `.bin` shards), including uint8/uint16 affine and float16 quantization.
 * Shards are read only from regular files inside the `model.json`'s folder, and only
 * after the manifest's sizes have passed the limits.
 *
 * @packageDocumentation
 */
import { stat } from 'node:fs/promises';
import type { JsonObject, JsonValue } from '../ir.js';
import { ModelFileError } from './errors.js';
import { decodeFloat16 } from './half-float.js';
import { ByteBudget, checkDeclaredShape, formatBytes, resolveLimits, type LoadLimits } from './limits.js';
import { readRegularFile, resolveInsideFolder } from './safe-read.js';
import type { ReadWeightsOptions, WeightEntry, WeightInfo } from './types.js';
import { ownValue } from '../safety/own.js';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A manifest weight with where its bytes are in the group's concatenated shards. */
interface PlannedWeight {
  info: WeightInfo;
  storedDtype: string;
  quantization: JsonObject | undefined;
  count: number;
  offset: number;
  byteLength: number;
}

interface PlannedGroup {
  paths: string[];
  weights: PlannedWeight[];
  byteLength: number;
}

function planWeight(spec: JsonValue, offset: number, limits: LoadLimits, file: string): PlannedWeight {
  if (!isObject(spec) || typeof spec['name'] !== 'string') {
    throw new ModelFileError(file, 'has a weightsManifest weight without a name or shape');
  }
  const name = spec['name'];
  const dtype = typeof spec['dtype'] === 'string' ? spec['dtype'] : 'float32';
  const quantization = isObject(spec['quantization']) ? spec['quantization'] : undefined;
  const storedDtype = quantization && typeof quantization['dtype'] === 'string' ? quantization['dtype'] : dtype;
  const elementBytes = ownValue(BYTES_PER_ELEMENT, storedDtype);
  if (elementBytes === undefined) {
    throw new ModelFileError(
      file,
      `weight ${name} has unsupported dtype ${storedDtype} (supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`,
    );
  }
  if (!Array.isArray(spec['shape']))
    throw new ModelFileError(file, `has a weightsManifest weight without a name or shape (${name})`);
  const count = checkDeclaredShape(spec['shape'], elementBytes, limits, file, `weight ${name}`);
  const shape = spec['shape'] as number[];
  const layerName = name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
  const info: WeightInfo =
    layerName === undefined ? { path: name, shape, dtype } : { path: name, layerName, shape, dtype };
  return { info, storedDtype, quantization, count, offset, byteLength: count * elementBytes };
}

function planManifest(manifest: JsonValue[], limits: LoadLimits, file: string): PlannedGroup[] {
  const budget = new ByteBudget(limits, file);
  return manifest.map((group) => {
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new ModelFileError(file, 'has a malformed weightsManifest entry (expected {paths, weights})');
    }
    let offset = 0;
    const weights = group['weights'].map((spec) => {
      const planned = planWeight(spec, offset, limits, file);
      budget.spend(planned.byteLength, `weight ${planned.info.path}`);
      offset += planned.byteLength;
      return planned;
    });
    return { paths: group['paths'].map(String), weights, byteLength: offset };
  });
}

/**
 * Reads every weight listed in the manifest of `modelJson`, resolving shard paths
 * inside the folder of the `model.json` file.
 *
 * @throws ModelFileError naming the shard or weight when the manifest is malformed, a
 *   shard is missing, short, too long, outside the folder or not a regular file, or a
 *   declared size passes the limits
 */
export async function readTfjsWeights(
  modelJson: JsonObject,
  modelJsonPath: string,
  options: ReadWeightsOptions = {},
): Promise<WeightEntry[]> {
  const manifest = modelJson['weightsManifest'];
  if (!Array.isArray(manifest)) {
    throw new ModelFileError(
      modelJsonPath,
      `weightsManifest is ${manifest === undefined ? 'missing' : 'not a list'}, so the file has no readable weights`,
    );
  }
  const limits = resolveLimits(options.limits);
  const groups = planManifest(manifest, limits, modelJsonPath);
  options.check?.(groups.flatMap((group) => group.weights.map((weight) => weight.info)));
  const weights: WeightEntry[] = [];
  for (const group of groups) {
    const bytes = await readGroupShards(group, modelJsonPath, limits);
    for (const weight of group.weights) weights.push(decodeWeight(weight, bytes, modelJsonPath));
  }
  return weights;
}

/** Reads a group's shards, checking their sizes against the manifest before reading. */
async function readGroupShards(group: PlannedGroup, file: string, limits: LoadLimits): Promise<Uint8Array> {
  const shards: { written: string; real: string; size: number }[] = [];
  for (const written of group.paths) {
    const what = 'weight shard';
    const real = await resolveInsideFolder(file, written, what);
    shards.push({ written, real, size: (await stat(real)).size });
  }
  const total = shards.reduce((sum, shard) => sum + shard.size, 0);
  const names = group.paths.join(', ');
  if (total < group.byteLength) {
    const last = group.weights.find((weight) => weight.offset + weight.byteLength > total);
    throw new ModelFileError(
      file,
      `weight shards are too short: ${last?.info.path ?? 'a weight'} needs bytes ${last?.offset ?? 0}..${(last?.offset ?? 0) + (last?.byteLength ?? 0)}, shards hold ${total} (${names})`,
    );
  }
  if (total > group.byteLength) {
    throw new ModelFileError(
      file,
      `weight shards (${names}) hold ${formatBytes(total)} but the manifest describes ${formatBytes(group.byteLength)}; refusing shards that do not match their manifest`,
    );
  }
  const out = new Uint8Array(group.byteLength);
  let offset = 0;
  for (const shard of shards) {
    const bytes = await readRegularFile(
      shard.real,
      file,
      `weight shard ${shard.written}`,
      Math.min(limits.maxMemberBytes, group.byteLength - offset),
    );
    out.set(bytes, offset);
    offset += bytes.length;
  }
  if (offset !== group.byteLength)
    throw new ModelFileError(file, `weight shards (${names}) changed size while being read`);
  return out;
}

function decodeWeight(weight: PlannedWeight, bytes: Uint8Array, file: string): WeightEntry {
  const { info, storedDtype, quantization, count, offset, byteLength } = weight;
  // A fresh copy starting at byte 0 of its own buffer, so typed-array views line up.
  const view = Uint8Array.prototype.slice.call(bytes, offset, offset + byteLength);
  let data: Float32Array | Int32Array;
  if (storedDtype === 'float16') {
    data = decodeFloat16(view, count, true);
  } else if (quantization && (storedDtype === 'uint8' || storedDtype === 'uint16')) {
    const scale = Number(quantization['scale'] ?? 1);
    const min = Number(quantization['min'] ?? 0);
    if (!Number.isFinite(scale) || !Number.isFinite(min)) {
      throw new ModelFileError(file, `weight ${info.path} has a quantization scale/min that is not a finite number`);
    }
    const raw = storedDtype === 'uint8' ? view : new Uint16Array(view.buffer, 0, count);
    data = Float32Array.from(raw, (q) => q * scale + min);
    if (info.dtype === 'int32') data = Int32Array.from(data, Math.round);
  } else if (storedDtype === 'float32') {
    data = new Float32Array(view.buffer, 0, count);
  } else if (storedDtype === 'int32') {
    data = new Int32Array(view.buffer, 0, count);
  } else {
    data = Int32Array.from(view);
  }
  return { ...info, data };
}
