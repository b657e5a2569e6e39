/**
 * `DropoutConfig`: a typed, validated, JSON-serializable description of "which dropout, how
 * strong, where". `parseDropoutConfig(json)` checks untrusted JSON (errors name the field, the
 * value and the valid choices); `dropoutConfigToJSON(config)` writes the canonical form back.
 */
import type { JsonObject } from '@strata/graph';

/** Channel position of image-like tensors. */
export type DropoutDataFormat = 'channels_last' | 'channels_first';

/** Plain (inverted) dropout, Keras `Dropout`. */
export interface StandardDropoutConfig {
  kind: 'standard';
  rate: number;
  /** Mask shape; `null` entries are taken from the input (Keras `noise_shape`). */
  noiseShape?: (number | null)[];
  seed?: number;
}

/** Whole-feature-map dropout, Keras `SpatialDropout1D/2D/3D`. */
export interface SpatialDropoutConfig {
  kind: 'spatial';
  rate: number;
  /** Spatial rank (1, 2 or 3); when absent it comes from where the layer is placed. */
  rank?: 1 | 2 | 3;
  dataFormat?: DropoutDataFormat;
  seed?: number;
}

/** Multiplicative Gaussian noise, Keras `GaussianDropout`. */
export interface GaussianDropoutConfig {
  kind: 'gaussian';
  rate: number;
  seed?: number;
}

/** SELU-preserving dropout, Keras `AlphaDropout`. */
export interface AlphaDropoutConfig {
  kind: 'alpha';
  rate: number;
  seed?: number;
}

/** RNN `dropout` / `recurrentDropout` (construction-time settings of SimpleRNN/LSTM/GRU). */
export interface RecurrentDropoutConfig {
  kind: 'recurrent';
  inputRate: number;
  recurrentRate: number;
  seed?: number;
}

/** `DropBlock2D` (Ghiasi et al. 2018). */
export interface DropBlockConfig {
  kind: 'dropblock';
  rate: number;
  blockSize: number;
  dataFormat?: DropoutDataFormat;
  seed?: number;
}

/** `StochasticDepth` / DropPath on a residual branch (Huang et al. 2016). */
export interface DropPathConfig {
  kind: 'droppath';
  rate: number;
  seed?: number;
}

/** DropConnect on a Dense kernel (Wan et al. 2013). */
export interface DropConnectConfig {
  kind: 'dropconnect';
  rate: number;
  seed?: number;
}

/**
 * Any dropout description; `kind` selects the variant.
 *
 * @example
 * ```ts
 * const config: DropoutConfig = parseDropoutConfig('{"kind": "dropblock", "rate": 0.1, "blockSize": 5}');
 * const layer = createDropoutLayer(config); // DropBlock2D(0.1, { blockSize: 5 })
 * ```
 */
export type DropoutConfig =
  | StandardDropoutConfig
  | SpatialDropoutConfig
  | GaussianDropoutConfig
  | AlphaDropoutConfig
  | RecurrentDropoutConfig
  | DropBlockConfig
  | DropPathConfig
  | DropConnectConfig;

/** The kinds, in documentation order. */
export const DROPOUT_KINDS = [
  'standard',
  'spatial',
  'gaussian',
  'alpha',
  'recurrent',
  'dropblock',
  'droppath',
  'dropconnect',
] as const;

/** One kind of {@link DropoutConfig}. */
export type DropoutKind = (typeof DROPOUT_KINDS)[number];

type FieldKind = 'rate' | 'seed' | 'noiseShape' | 'rank' | 'dataFormat' | 'blockSize';

/** Fields of each kind: required ones first, then optional ones. */
const FIELDS: Record<
  DropoutKind,
  { required: Partial<Record<string, FieldKind>>; optional: Partial<Record<string, FieldKind>> }
> = {
  standard: { required: { rate: 'rate' }, optional: { noiseShape: 'noiseShape', seed: 'seed' } },
  spatial: { required: { rate: 'rate' }, optional: { rank: 'rank', dataFormat: 'dataFormat', seed: 'seed' } },
  gaussian: { required: { rate: 'rate' }, optional: { seed: 'seed' } },
  alpha: { required: { rate: 'rate' }, optional: { seed: 'seed' } },
  recurrent: { required: { inputRate: 'rate', recurrentRate: 'rate' }, optional: { seed: 'seed' } },
  dropblock: {
    required: { rate: 'rate', blockSize: 'blockSize' },
    optional: { dataFormat: 'dataFormat', seed: 'seed' },
  },
  droppath: { required: { rate: 'rate' }, optional: { seed: 'seed' } },
  dropconnect: { required: { rate: 'rate' }, optional: { seed: 'seed' } },
};

/** Error for an invalid dropout config: `path` names the field (e.g. `afterDense.rate`). */
export class DropoutConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`DropoutConfig ${path}: ${message}`);
    this.name = 'DropoutConfigError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function checkField(kind: FieldKind, value: unknown, path: string, dropoutKind: DropoutKind): unknown {
  const bad = (expected: string): never => {
    throw new DropoutConfigError(path, `invalid value ${show(value)}; expected ${expected}`);
  };
  switch (kind) {
    case 'rate': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
        bad('a number between 0 and 1');
      // A rate of 1 drops everything: allowed for `standard` (Keras gives zeros) but never useful; 1 breaks Gaussian noise.
      if (dropoutKind === 'gaussian' && value === 1) bad('a number in [0, 1) (rate 1 gives infinite noise)');
      return value;
    }
    case 'seed':
      if (typeof value !== 'number' || !Number.isInteger(value)) bad('an integer');
      return value;
    case 'blockSize':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) bad('a positive integer');
      return value;
    case 'rank':
      if (value !== 1 && value !== 2 && value !== 3) bad('one of 1, 2, 3');
      return value;
    case 'dataFormat':
      if (value !== 'channels_last' && value !== 'channels_first') bad('one of "channels_last", "channels_first"');
      return value;
    case 'noiseShape':
      if (
        !Array.isArray(value) ||
        !value.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))
      ) {
        bad('a list of positive integers or null (e.g. [null, 1, null])');
      }
      return [...(value as (number | null)[])];
  }
}

/**
 * Validates a dropout description (an object, or JSON text) and returns it typed, with
 * only the known fields. `path` prefixes field names in errors (default `config`).
 *
 * @throws DropoutConfigError naming the field, the value received and the valid choices
 */
export function parseDropoutConfig(json: unknown, path = 'config'): DropoutConfig {
  if (typeof json === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (cause) {
      throw new DropoutConfigError(path, `not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    return parseDropoutConfig(parsed, path);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DropoutConfigError(path, `expected an object like {"kind": "standard", "rate": 0.5}, got ${show(json)}`);
  }
  const record = json as Record<string, unknown>;
  const kind = record['kind'];
  if (typeof kind !== 'string' || !(DROPOUT_KINDS as readonly string[]).includes(kind)) {
    throw new DropoutConfigError(
      `${path}.kind`,
      `invalid value ${show(kind)}; valid choices: ${DROPOUT_KINDS.join(', ')}`,
    );
  }
  const dropoutKind = kind as DropoutKind;
  const { required, optional } = FIELDS[dropoutKind];
  const known = ['kind', ...Object.keys(required), ...Object.keys(optional)];
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new DropoutConfigError(
        `${path}.${key}`,
        `unknown field for kind "${dropoutKind}"; valid fields: ${known.join(', ')}`,
      );
    }
  }
  const result: Record<string, unknown> = { kind: dropoutKind };
  for (const [key, fieldKind] of Object.entries(required)) {
    if (!(key in record) || record[key] === undefined) {
      throw new DropoutConfigError(
        `${path}.${key}`,
        `missing; kind "${dropoutKind}" requires ${Object.keys(required).join(', ')}`,
      );
    }
    result[key] = checkField(fieldKind!, record[key], `${path}.${key}`, dropoutKind);
  }
  for (const [key, fieldKind] of Object.entries(optional)) {
    if (record[key] === undefined || record[key] === null) continue;
    result[key] = checkField(fieldKind!, record[key], `${path}.${key}`, dropoutKind);
  }
  return result as unknown as DropoutConfig;
}

/** The canonical JSON of a config (validated; `kind` first, absent optional fields left out). */
export function dropoutConfigToJSON(config: DropoutConfig): JsonObject {
  return parseDropoutConfig(config) as unknown as JsonObject;
}

/** `DropoutConfig.parse` / `DropoutConfig.toJSON`, next to the type of the same name. */
export const DropoutConfig = {
  parse: parseDropoutConfig,
  toJSON: dropoutConfigToJSON,
  kinds: DROPOUT_KINDS,
} as const;
