/**
 * `keras.ops` calls as nodes of a functional model. Keras 3 records an op applied to symbolic
 * tensors (`ops.not_equal(tokens, 0)` from `Embedding(mask_zero=True)`, `x * 2`,
 * `ops.mean(x, axis=1)`) as a layer-like entry of the model config: class `NotEqual`, module
 * `keras.src.ops.numpy`, config `{name, <op options>}`, and the op's positional arguments —
 * tensors and constants — in its node's `args`. An {@link OpLayer} is one such call: it keeps
 * the options and the argument template, and computes the op with TF.js kernels.
 *
 * Op classes come from a fixed table ({@link opLayerClass}); nothing named in a file is imported.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  KERAS_OP_MODULES,
  inferOpOutputDtype,
  inferOpOutputShape,
  isOpTensor,
  opOperandsOf,
  type JsonObject,
  type JsonValue,
  type OpOperand,
  type Shape,
} from '@strata/graph';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Layer, type CallContext, type LayerConfig } from '../../engine/layer.js';
import type { LayerOutput, TensorOrList } from '../../engine/shape-utils.js';
import { OP_KERNELS, type RuntimeOperand } from './op-kernels.js';
import { ConfigurationError } from '../../utils/errors.js';

/** Options of an op call: its name and the op's own options (snake_case, as Keras writes them). */
export interface OpLayerArgs {
  name?: string;
  /** The op's options, e.g. `{ axis: -1, keepdims: true }`, `{ newshape: [-1, 4] }`, `{ dtype: 'int32' }`. */
  options?: JsonObject;
  /**
   * The positional arguments as Keras writes them in the node's `args`: tensors as
   * `{"class_name": "__keras_tensor__", …}` slots, constants as they are (e.g. `[tensor, 0]`).
   * Default: the tensors themselves, in order.
   */
  args?: JsonValue[];
}

const TENSOR_SLOT: JsonObject = { class_name: '__keras_tensor__', config: {} };

/** Ops whose first argument is a list of tensors. */
const LIST_OPS: ReadonlySet<string> = new Set(['Concatenate', 'Stack']);

/** One `keras.ops` call in a functional model (see the file comment). Subclasses only name the op. */
export abstract class OpLayer extends Layer {
  /** The op's options (snake_case). */
  readonly options: JsonObject;
  private template: JsonValue[] | undefined;

  constructor(args: OpLayerArgs = {}) {
    super({ name: args.name });
    this.options = { ...(args.options ?? {}) };
    this.template = args.args;
    const kernel = Object.hasOwn(OP_KERNELS, this.className) ? OP_KERNELS[this.className] : undefined;
    if (kernel === undefined)
      throw new ConfigurationError(`Op "${this.name}": class "${this.className}" has no kernel`);
  }

  /** Keras's module of this op class (`keras.src.ops.numpy`, `keras.src.ops.nn`, …). */
  get kerasModule(): string {
    return KERAS_OP_MODULES[this.className] ?? 'keras.src.ops.numpy';
  }

  /**
   * Sets the argument template of the op's call (from a file's node `args`). An op is called
   * once, as in Keras, where every `keras.ops` call is its own operation.
   */
  setCallArgs(args: JsonValue[] | undefined, inputsAsList: boolean, tensorCount: number): void {
    if (this.inboundNodes.length > 0)
      throw new ConfigurationError(
        `Op "${this.name}" (${this.className}) is already called; each op call is its own layer`,
      );
    const slots = Array.from({ length: tensorCount }, () => TENSOR_SLOT);
    this.template = args ?? (inputsAsList ? [slots] : slots);
  }

  /**
   * The `args` to write for a call on `tensorCount` tensors, as Keras writes them: the positional
   * arguments with tensor slots (which the encoder fills) and constants in place.
   */
  fileArgs(tensorCount: number): JsonValue[] {
    const slots = Array.from({ length: tensorCount }, () => TENSOR_SLOT);
    const template = this.template ?? (LIST_OPS.has(this.className) ? [slots] : slots);
    return JSON.parse(JSON.stringify(template)) as JsonValue[];
  }

  private operands<T>(
    tensors: T[],
    describe: (t: T) => { shape: Shape; dtype: string },
  ): { operands: OpOperand[]; byDescriptor: Map<object, T> } {
    const descriptors = tensors.map(describe);
    const byDescriptor = new Map<object, T>(descriptors.map((d, i) => [d, tensors[i]!]));
    // Without a template (an op built in code): the tensors are the arguments, as one list for list ops.
    const slots = tensors.map(() => TENSOR_SLOT);
    const template = this.template ?? (LIST_OPS.has(this.className) ? [slots] : slots);
    return { operands: opOperandsOf(template, false, descriptors), byDescriptor };
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const list = isShapes(inputShape) ? inputShape : [inputShape];
    const { operands } = this.operands(list, (shape) => ({ shape, dtype: 'float32' }));
    return inferOpOutputShape(this.className, this.options, operands, this.name);
  }

  protected override symbolicOutputDtype(inputs: readonly KerasTensor[]): string {
    const { operands } = this.operands([...inputs], (t) => ({ shape: t.shape, dtype: t.dtype }));
    return inferOpOutputDtype(this.className, this.options, operands);
  }

  call(inputs: TensorOrList, _context: CallContext): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const { operands, byDescriptor } = this.operands(list, (t) => ({ shape: t.shape, dtype: t.dtype }));
    const dtype = inferOpOutputDtype(this.className, this.options, operands);
    const toRuntime = (value: OpOperand): RuntimeOperand => {
      if (isOpTensor(value)) {
        const tensor = byDescriptor.get(value.tensor);
        if (tensor !== undefined) return tensor;
        // A concrete tensor Keras stored inline in the args (`__tensor__`).
        return tf.tensor(
          value.constant as number | number[],
          value.tensor.shape as number[],
          value.tensor.dtype === 'int32' ? 'int32' : value.tensor.dtype === 'bool' ? 'bool' : 'float32',
        );
      }
      return Array.isArray(value) ? value.map(toRuntime) : (value as RuntimeOperand);
    };
    const kernel = OP_KERNELS[this.className]!;
    return tf.tidy(() =>
      kernel(operands.map(toRuntime), this.options, { dtype, name: this.name, className: this.className }),
    );
  }

  /** Keras's op config: `name` and the op's options. */
  override getConfig(): LayerConfig {
    return { name: this.name, ...this.options };
  }

  override kerasConfig(): JsonObject {
    return { name: this.name, ...this.options };
  }
}

function isShapes(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** A constructor of one op class. */
export interface OpLayerClass {
  readonly className: string;
  new (args?: OpLayerArgs): OpLayer;
}

const OP_CLASSES = new Map<string, OpLayerClass>(
  Object.keys(OP_KERNELS).map((className) => {
    const cls = class extends OpLayer {
      static override readonly className: string = className;
    };
    return [className, cls];
  }),
);

/** The op class of a Keras op class name (`NotEqual`, `Mean`, …), or undefined when Strata has none. */
export function opLayerClass(className: string): OpLayerClass | undefined {
  return OP_CLASSES.get(className);
}

/** The op classes Strata computes, sorted. */
export function opClassNames(): string[] {
  return [...OP_CLASSES.keys()].sort();
}
