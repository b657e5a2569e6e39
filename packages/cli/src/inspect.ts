/**
 * `strata inspect`: what a model file holds — format, writer version, layers, weight arrays
 * and the compile config — read from the file alone (no TF.js).
 *
 * @packageDocumentation
 */
import {
  formatCount,
  walkLayers,
  type JsonObject,
  type JsonValue,
  type ModelFile,
  type WeightEntry,
} from '@strata/graph';

/** Bytes per element of the dtypes model files store. */
const DTYPE_BYTES: Record<string, number> = {
  float64: 8,
  int64: 8,
  uint64: 8,
  float32: 4,
  int32: 4,
  uint32: 4,
  float16: 2,
  bfloat16: 2,
  int16: 2,
  uint16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** One weight array of the file. */
export interface InspectedWeight {
  /** Where it lives in the file (HDF5 dataset path or TF.js manifest name). */
  path: string;
  /** The layer it belongs to, when the file says. */
  layer: string | null;
  shape: number[];
  dtype: string;
  /** Stored size: elements × bytes of `dtype`. */
  bytes: number;
}

/** One layer, nested ones included. */
export interface InspectedLayer {
  /** Enclosing model names below the root, then the layer name, joined by `/`. */
  path: string;
  className: string;
  /** How deep it is nested (0 for the root model's layers). */
  depth: number;
  /** Number of calls (nodes) of the layer in its model. */
  calls: number;
}

/** Everything `strata inspect` reports. */
export interface Inspection {
  path: string;
  /** Format id (`keras-zip`, `keras-h5`, …) and a readable description. */
  format: string;
  formatDescription: string;
  /** The Keras (or TF.js) version that wrote the file, when it says. */
  writer: string | null;
  model: { name: string; className: string; inputs: number; outputs: number };
  layers: InspectedLayer[];
  /** `null` when the file has no weights; otherwise every stored array. */
  weights: InspectedWeight[] | null;
  /** Why the weights could not be read, when they could not. */
  weightsError?: string;
  /** Keras 3 `compile_config` or Keras 2 / TF.js `training_config`, when present. */
  compileConfig: JsonObject | null;
}

const FORMAT_DESCRIPTIONS: Record<ModelFile['format'], string> = {
  'keras-zip': 'Keras 3 .keras archive (config.json + model.weights.h5)',
  'keras-h5': 'legacy Keras HDF5 (.h5) model',
  'keras3-config-json': 'Keras 3 model config JSON',
  'keras2-json': 'Keras 2 model JSON (to_json)',
  'tfjs-model-json': 'TensorFlow.js layers model (model.json + weight shards)',
};

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The writer's version: `metadata.json` / HDF5 root attributes / Keras JSON / TF.js `generatedBy`. */
function writerOf(file: ModelFile): string | null {
  const topology = isObject(file.config['modelTopology']) ? file.config['modelTopology'] : undefined;
  const keras =
    text(file.metadata?.['keras_version']) ?? text(file.config['keras_version']) ?? text(topology?.['keras_version']);
  const backend = text(file.metadata?.['backend']) ?? text(file.config['backend']) ?? text(topology?.['backend']);
  const tfjs = text(file.config['generatedBy']);
  const converter = text(file.config['convertedBy']);
  const parts: string[] = [];
  if (keras !== undefined) parts.push(`Keras ${keras}${backend ? ` (${backend} backend)` : ''}`);
  if (tfjs !== undefined) parts.push(tfjs);
  if (converter !== undefined) parts.push(`converted by ${converter}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Stored size of a weight array. */
export function weightBytes(weight: Pick<WeightEntry, 'shape' | 'dtype'>): number {
  return weight.shape.reduce((product, size) => product * size, 1) * (DTYPE_BYTES[weight.dtype] ?? 4);
}

/**
 * Collects what a file holds. Weights are read when the file has any; a failure to read
 * them is reported in `weightsError` (the rest of the file is still described).
 */
export async function inspectModelFile(file: ModelFile): Promise<Inspection> {
  const layers: InspectedLayer[] = [];
  for (const { layer, path } of walkLayers(file.model)) {
    const depth = path.length - 1;
    layers.push({
      path: [...path.slice(1), layer.name].join('/'),
      className: layer.className,
      depth,
      calls: layer.nodes.length,
    });
  }
  let weights: InspectedWeight[] | null = null;
  let weightsError: string | undefined;
  if (file.weights) {
    try {
      weights = (await file.weights()).map((weight) => ({
        path: weight.path,
        layer: weight.layerName ?? null,
        shape: weight.shape,
        dtype: weight.dtype,
        bytes: weightBytes(weight),
      }));
    } catch (error) {
      weightsError = error instanceof Error ? error.message : String(error);
    }
  }
  const compileConfig =
    file.model.compileConfig ??
    (isObject(file.metadata?.['training_config']) ? file.metadata['training_config'] : null);
  const inspection: Inspection = {
    path: file.path,
    format: file.format,
    formatDescription: FORMAT_DESCRIPTIONS[file.format],
    writer: writerOf(file),
    model: {
      name: file.model.name,
      className: file.model.className,
      inputs: file.model.inputs.length,
      outputs: file.model.outputs.length,
    },
    layers,
    weights,
    compileConfig,
  };
  if (weightsError !== undefined) inspection.weightsError = weightsError;
  return inspection;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number> = new Set(),
): string[] {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** Human-readable rendering of an {@link Inspection}. */
export function renderInspection(inspection: Inspection): string {
  const { model } = inspection;
  const lines = [
    `File:    ${inspection.path}`,
    `Format:  ${inspection.formatDescription} [${inspection.format}]`,
    `Writer:  ${inspection.writer ?? 'not recorded in the file'}`,
    `Model:   "${model.name}" (${model.className}), ${model.inputs} input(s), ${model.outputs} output(s)`,
    '',
    `Layers (${inspection.layers.length}):`,
    ...table(
      ['layer', 'class', 'calls'],
      inspection.layers.map((layer) => [
        `${'  '.repeat(layer.depth)}${layer.path.split('/').pop()!}`,
        layer.className,
        String(layer.calls),
      ]),
      new Set([2]),
    ),
    '',
  ];
  if (inspection.weightsError !== undefined) {
    lines.push(`Weights: could not be read: ${inspection.weightsError}`);
  } else if (inspection.weights === null) {
    lines.push('Weights: none stored with this file');
  } else {
    const params = inspection.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    const bytes = inspection.weights.reduce((sum, w) => sum + w.bytes, 0);
    lines.push(
      `Weights (${inspection.weights.length} arrays, ${formatCount(params)} values, ${formatCount(bytes)} bytes):`,
    );
    lines.push(
      ...table(
        ['path', 'layer', 'shape', 'dtype', 'bytes'],
        inspection.weights.map((w) => [
          w.path,
          w.layer ?? '-',
          `(${w.shape.join(', ')}${w.shape.length === 1 ? ',' : ''})`,
          w.dtype,
          formatCount(w.bytes),
        ]),
        new Set([4]),
      ),
    );
  }
  lines.push('');
  if (inspection.compileConfig === null) lines.push('Compile config: none (the model was saved uncompiled)');
  else
    lines.push(
      'Compile config:',
      ...JSON.stringify(inspection.compileConfig, null, 2)
        .split('\n')
        .map((line) => `  ${line}`),
    );
  return `${lines.join('\n')}\n`;
}
