/**
 * The Strata model IR: one description of a model that every package reads or writes.
 *
 * Configs are kept exactly as Keras writes them on disk (snake_case keys, serialized
 * initializers and `DTypePolicy` dicts), so a file can be decoded, inspected and
 * encoded again without losing anything. The runtime (`@strata/core`) converts to
 * and from its camelCase options at its own boundary.
 *
 * @packageDocumentation
 */

/** Any value that can appear in a JSON document. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A tensor shape including the batch dimension; `null` marks an unknown size. */
export type Shape = readonly (number | null)[];

/**
 * Points at one output tensor of one call of a layer, as Keras's
 * `keras_history: [layer_name, node_index, tensor_index]`.
 */
export interface TensorRef {
  /** Name of the layer that produced the tensor. */
  layer: string;
  /** Which call (node) of that layer produced it. */
  node: number;
  /** Which output of that call. */
  index: number;
  /**
   * Shape recorded with the reference in the file, if any (Keras 3 writes it in every
   * `__keras_tensor__`); kept so that encoding reproduces the file.
   */
  shape?: Shape;
  /** Dtype recorded with the reference in the file, if any (Keras 3 `__keras_tensor__`). */
  dtype?: string;
}

/**
 * How a model's `input_layers` / `output_layers` were nested in the file: a leaf is an
 * index into `ModelIR.inputs` / `ModelIR.outputs`, arrays and objects are kept as such.
 * A bare `0` means the file wrote a single flat `[name, node, index]`.
 */
export type TensorLayout = number | TensorLayout[] | { [key: string]: TensorLayout };

/** Layout details of the file a model came from, so that encoding reproduces it exactly. */
export interface FileLayout {
  /** Nesting of `input_layers` (functional models). */
  inputs?: TensorLayout;
  /** Nesting of `output_layers` (functional models). */
  outputs?: TensorLayout;
  /** Keras 2: the `Sequential` config was a bare list of layers (no name). */
  sequentialAsList?: boolean;
  /**
   * Top-level entries of the file other than `class_name`, `config`, `module`,
   * `registered_name`, `build_config`, `compile_config` / `training_config`
   * (e.g. Keras 2 `keras_version` and `backend`), verbatim.
   */
  topLevel?: JsonObject;
  /**
   * TF.js: the topology was wrapped as `{ model_config, training_config, … }`; holds the
   * wrapper's other entries, verbatim.
   */
  modelConfigWrapper?: JsonObject;
}

/** One call of a layer inside a model: its input tensors and keyword arguments. */
export interface CallNode {
  /** The input tensors, flattened in call order. */
  inputs: TensorRef[];
  /**
   * `true` when the layer was called with a list of tensors (merge layers such as
   * `Concatenate`), `false` or absent when it was called with a single tensor.
   */
  inputsAsList?: boolean;
  /** Keyword arguments of the call (for example `{ training: true }`), verbatim. */
  kwargs?: JsonObject;
  /**
   * Keras 3 only: the positional arguments verbatim, when they hold more than tensors
   * (e.g. the constant of `x * 2`, an op's nested lists). Its `__keras_tensor__` entries
   * are the `inputs`, in depth-first order; encoding writes `inputs` back into them.
   */
  args?: JsonValue[];
}

/** One layer of a model. */
export interface LayerIR {
  /** Keras class name, e.g. `"Dense"`. */
  className: string;
  /** Unique layer name within its model. */
  name: string;
  /** The layer's Keras config (snake_case keys), verbatim. */
  config: JsonObject;
  /** Keras 3 `module`, e.g. `"keras.layers"`; absent in Keras 2 / TF.js files. */
  module?: string;
  /** Keras 3 `registered_name`; `null` for built-ins, `"package>Name"` for custom classes. */
  registeredName?: string | null;
  /** Keras 3 `build_config`, verbatim (e.g. `{ input_shape: [null, 3] }`). */
  buildConfig?: JsonObject;
  /**
   * The calls of this layer in its model, in node order. For a `Sequential` model the
   * decoders fill these in as a chain so that every model can be walked as a graph.
   */
  nodes: CallNode[];
  /** Present when the layer is itself a model (nested `Sequential` or functional model). */
  model?: ModelIR;
}

/** A whole model (or a nested model). */
export interface ModelIR {
  /** `"Sequential"`, `"Functional"` (Keras 3) or `"Model"` (Keras 2 / TF.js functional). */
  className: string;
  /** Model name. */
  name: string;
  /** The layers, in the order of the config. */
  layers: LayerIR[];
  /** Model inputs; empty for a `Sequential` model without a known input. */
  inputs: TensorRef[];
  /** Model outputs. */
  outputs: TensorRef[];
  /**
   * Model-level config entries other than `name`, `layers`, `input_layers` and
   * `output_layers` (e.g. `trainable`, `dtype`, `build_input_shape`), verbatim.
   */
  extraConfig?: JsonObject;
  /** Keras 3 `module` of the model object (e.g. `"keras"`). */
  module?: string;
  /** Keras 3 `registered_name` of the model object. */
  registeredName?: string | null;
  /** Keras 3 `build_config` of the model, verbatim. */
  buildConfig?: JsonObject;
  /** Keras 3 `compile_config`, or Keras 2 `training_config`, verbatim. */
  compileConfig?: JsonObject;
  /** Details of the file layout, filled by the decoders and honoured by the encoders. */
  layout?: FileLayout;
}
