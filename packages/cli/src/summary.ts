/**
 * A Keras-style model summary computed from the IR alone (no TF.js): layer, output
 * shape, parameter count and, for functional models, the "Connected to" column.
 *
 * @packageDocumentation
 */
import {
  callIndexOf,
  countLayerParams,
  formatCount,
  formatKerasShape,
  renderSummaryTable,
  type JsonValue,
  type LayerIR,
  type ModelIR,
  type ParamCount,
  type Shape,
  type TensorRef,
  type WeightEntry,
} from '@strata/graph';

/** One row of the summary. */
export interface SummaryRow {
  layer: string;
  className: string;
  outputShape: string;
  params: ParamCount | undefined;
  connectedTo: string[];
}

/** The summary of one model. */
export interface ModelSummary {
  name: string;
  functional: boolean;
  rows: SummaryRow[];
  /** Totals over the rows whose count is known. */
  trainable: number;
  nonTrainable: number;
  /** Rows whose parameter count could not be determined. */
  unknownRows: number;
  /** Whether counts came from the weights stored in the file. */
  fromWeights: boolean;
}

const isObject = (value: JsonValue | undefined): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function shapeFrom(value: JsonValue | undefined): Shape | undefined {
  if (!Array.isArray(value) || !value.every((d) => d === null || typeof d === 'number')) return undefined;
  return value as (number | null)[];
}

/** The batch shape a layer declares for itself (InputLayer or the first layer of a Sequential). */
function declaredShape(layer: LayerIR): Shape | undefined {
  const config = layer.config;
  return (
    shapeFrom(config['batch_shape']) ??
    shapeFrom(config['batch_input_shape']) ??
    (isObject(layer.buildConfig) ? shapeFrom(layer.buildConfig['input_shape']) : undefined)
  );
}

function refShape(model: ModelIR, shapes: Map<string, Shape[][]>, ref: TensorRef): Shape | undefined {
  return shapes.get(ref.layer)?.[callIndexOf(model, ref)]?.[ref.index];
}

/** Shapes of a nested model's layers are keyed `outer/inner`; this views them unprefixed. */
function scoped(shapes: Map<string, Shape[][]>, prefix: string): Map<string, Shape[][]> {
  if (prefix === '') return shapes;
  const view = new Map<string, Shape[][]>();
  for (const [key, value] of shapes) if (key.startsWith(prefix)) view.set(key.slice(prefix.length), value);
  return view;
}

/** Formats a shape the Keras way: `(None, 28, 28, 1)`; `?` when unknown. */
export function formatShape(shape: Shape | undefined): string {
  return shape ? formatKerasShape(shape) : '?';
}

function isFunctional(model: ModelIR): boolean {
  return model.className !== 'Sequential';
}

/**
 * Builds the summary of a model.
 *
 * @param shapes - inferred output shapes (layer name → node → output), possibly partial
 * @param weights - weights read from the file; when given, counts come from them
 */
export function summarizeModel(
  model: ModelIR,
  shapes: Map<string, Shape[][]>,
  weights?: WeightEntry[],
  prefix = '',
): ModelSummary {
  const functional = isFunctional(model);
  const local = scoped(shapes, prefix);
  const weightCounts = new Map<string, number>();
  for (const weight of weights ?? []) {
    if (weight.layerName === undefined) continue;
    weightCounts.set(weight.layerName, (weightCounts.get(weight.layerName) ?? 0) + weight.data.length);
  }
  const fromWeights = weights !== undefined && weightCounts.size > 0;
  const rows: SummaryRow[] = [];
  for (const layer of model.layers) {
    if (!functional && layer.className === 'InputLayer') continue;
    const callInputs = layer.nodes[0]?.inputs ?? [];
    const inputShapes = callInputs.map((ref) => refShape(model, local, ref));
    const inputShape = callInputs.length > 0 ? inputShapes[0] : declaredShape(layer);
    const outputs = local.get(layer.name)?.[0];
    const outputShape =
      outputs && outputs.length > 0
        ? outputs.length === 1
          ? formatShape(outputs[0])
          : `[${outputs.map(formatShape).join(', ')}]`
        : layer.className === 'InputLayer'
          ? formatShape(declaredShape(layer))
          : '?';
    let params = layer.model
      ? summarizeNested(layer.model, shapes, `${prefix}${layer.name}/`)
      : countLayerParams(layer, inputShape, inputShapes.length > 0 ? inputShapes : [inputShape]);
    if (fromWeights) {
      const stored = weightCounts.get(layer.name) ?? 0;
      // Keep the formula's non-trainable share (e.g. BatchNormalization moving statistics).
      const nonTrainable = Math.min(params?.nonTrainable ?? 0, stored);
      params =
        layer.config['trainable'] === false
          ? { trainable: 0, nonTrainable: stored }
          : { trainable: stored - nonTrainable, nonTrainable };
    }
    const connectedTo = functional
      ? layer.nodes.flatMap((node) => node.inputs.map((ref) => `${ref.layer}[${ref.node}][${ref.index}]`))
      : [];
    rows.push({ layer: layer.name, className: layer.className, outputShape, params, connectedTo });
  }
  const known = rows.filter((row) => row.params !== undefined);
  return {
    name: model.name,
    functional,
    rows,
    trainable: known.reduce((sum, row) => sum + row.params!.trainable, 0),
    nonTrainable: known.reduce((sum, row) => sum + row.params!.nonTrainable, 0),
    unknownRows: rows.length - known.length,
    fromWeights,
  };
}

function summarizeNested(model: ModelIR, shapes: Map<string, Shape[][]>, prefix: string): ParamCount | undefined {
  const inner = summarizeModel(model, shapes, undefined, prefix);
  return inner.unknownRows > 0 ? undefined : { trainable: inner.trainable, nonTrainable: inner.nonTrainable };
}

/** Renders the summary as Keras 3 prints it (box-drawing table and totals). */
export function renderSummary(summary: ModelSummary): string {
  const lines = renderSummaryTable({
    title: summary.name,
    connections: summary.functional,
    rows: summary.rows.map((row) => ({
      layer: `${row.layer} (${row.className})`,
      outputShape: row.outputShape,
      params: row.params === undefined ? '?' : formatCount(row.params.trainable + row.params.nonTrainable),
      connectedTo: row.connectedTo,
    })),
    trainable: summary.trainable,
    nonTrainable: summary.nonTrainable,
    totalNote: summary.unknownRows > 0 ? ` + ${summary.unknownRows} layer(s) of unknown size` : '',
  });
  lines.push(
    summary.fromWeights
      ? ' (parameter counts from the weights stored in the file)'
      : ' (parameter counts computed from the config)',
  );
  return `${lines.join('\n')}\n`;
}
