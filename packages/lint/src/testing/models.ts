/**
 * Tiny model-IR builders for the lint tests (not part of the public API).
 */
import type { JsonObject, LayerIR, ModelIR } from '@strata/graph';

/** One layer of a test model. */
export interface LayerSpec {
  className: string;
  name: string;
  config?: JsonObject;
  /** Producer layer names (functional models); omitted for inputs and in `sequential`. */
  inputs?: string[];
  /** Call kwargs, e.g. `{ training: true }`. */
  kwargs?: JsonObject;
  /** Nested model. */
  model?: ModelIR;
}

/** Shorthand for a layer spec. */
export function L(className: string, name: string, config: JsonObject = {}, inputs?: string[]): LayerSpec {
  return { className, name, config, ...(inputs ? { inputs } : {}) };
}

/** An `InputLayer` with a batch shape. */
export function input(name: string, batchShape: (number | null)[]): LayerSpec {
  return { className: 'InputLayer', name, config: { batch_shape: batchShape, dtype: 'float32', name } };
}

function toLayer(spec: LayerSpec, inputs: string[] | undefined): LayerIR {
  const layer: LayerIR = {
    className: spec.className,
    name: spec.name,
    config: { name: spec.name, ...(spec.config ?? {}) },
    nodes:
      inputs && inputs.length > 0
        ? [
            {
              inputs: inputs.map((name) => ({ layer: name, node: 0, index: 0 })),
              ...(inputs.length > 1 ? { inputsAsList: true } : {}),
              ...(spec.kwargs ? { kwargs: spec.kwargs } : {}),
            },
          ]
        : [],
  };
  if (spec.model) layer.model = spec.model;
  return layer;
}

/** A functional model; outputs default to the last layer. */
export function functional(name: string, specs: LayerSpec[], outputs?: string[]): ModelIR {
  const layers = specs.map((spec) => toLayer(spec, spec.inputs));
  return {
    className: 'Functional',
    name,
    layers,
    inputs: specs.filter((s) => s.className === 'InputLayer').map((s) => ({ layer: s.name, node: 0, index: 0 })),
    outputs: (outputs ?? [specs[specs.length - 1]!.name]).map((layer) => ({ layer, node: 0, index: 0 })),
  };
}

/** A Sequential model whose layers are chained, as the decoders fill them in. */
export function sequential(name: string, specs: LayerSpec[]): ModelIR {
  const layers = specs.map((spec, i) => toLayer(spec, i > 0 ? [specs[i - 1]!.name] : undefined));
  const first = specs[0];
  return {
    className: 'Sequential',
    name,
    layers,
    inputs: first && first.className === 'InputLayer' ? [{ layer: first.name, node: 0, index: 0 }] : [],
    outputs: [{ layer: specs[specs.length - 1]!.name, node: 0, index: 0 }],
  };
}

/** Conv2D spec. */
export function conv2d(name: string, config: JsonObject = {}, inputs?: string[]): LayerSpec {
  return L(
    'Conv2D',
    name,
    { filters: 8, kernel_size: [3, 3], activation: 'relu', data_format: 'channels_last', ...config },
    inputs,
  );
}

/** Dense spec. */
export function dense(name: string, config: JsonObject = {}, inputs?: string[]): LayerSpec {
  return L('Dense', name, { units: 8, activation: 'relu', ...config }, inputs);
}

/** Dropout spec. */
export function dropout(name: string, rate: number, config: JsonObject = {}, inputs?: string[]): LayerSpec {
  return L('Dropout', name, { rate, noise_shape: null, seed: null, ...config }, inputs);
}

/** The Keras MNIST convnet (Input → Conv → Pool → Conv → Pool → Flatten → Dropout(0.5) → Dense softmax). */
export function mnistConvnet(): ModelIR {
  return sequential('mnist_convnet', [
    input('input_layer', [null, 28, 28, 1]),
    conv2d('conv2d', { filters: 32 }),
    L('MaxPooling2D', 'max_pooling2d', { pool_size: [2, 2], data_format: 'channels_last' }),
    conv2d('conv2d_1', { filters: 64 }),
    L('MaxPooling2D', 'max_pooling2d_1', { pool_size: [2, 2], data_format: 'channels_last' }),
    L('Flatten', 'flatten', { data_format: 'channels_last' }),
    dropout('dropout', 0.5),
    dense('dense', { units: 10, activation: 'softmax' }),
  ]);
}
