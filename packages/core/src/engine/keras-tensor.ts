/**
 * Symbolic tensors and call nodes: what `Input` and `layer.apply(kerasTensor)` build,
 * and what a functional `Model` is made of.
 */
import type { Shape } from '@strata/graph';
import type { Layer } from './layer.js';
import { ConfigurationError } from '../utils/errors.js';

let nextId = 0;

/** A symbolic tensor: the shape and origin of a value in a model under construction. */
export class KerasTensor {
  /** Unique id (used to key values while a model runs). */
  readonly id: number;

  constructor(
    /** Shape with the batch dimension (`null` when unknown). */
    readonly shape: Shape,
    /** Data type, e.g. `float32`. */
    readonly dtype: string,
    /** The layer that produces this tensor. */
    readonly sourceLayer: Layer,
    /** Which call of that layer. */
    readonly nodeIndex: number,
    /** Which output of that call. */
    readonly tensorIndex: number,
  ) {
    nextId += 1;
    this.id = nextId;
  }

  /** The producing node. */
  get node(): CallNodeRecord {
    const node = this.sourceLayer.inboundNodes[this.nodeIndex];
    // Only a KerasTensor made by hand (not by `Input` or a layer call) can name a missing node.
    if (node === undefined)
      throw new ConfigurationError(`KerasTensor from "${this.sourceLayer.name}" has no node ${this.nodeIndex}`);
    return node;
  }

  /** Rank of the tensor. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    const dims = this.shape.map((d) => (d === null ? 'None' : String(d))).join(', ');
    return `<KerasTensor shape=(${dims}), dtype=${this.dtype}, source=${this.sourceLayer.name}>`;
  }
}

/** One call of a layer on symbolic inputs (a Keras `Node`). */
export interface CallNodeRecord {
  /** The called layer. */
  readonly layer: Layer;
  /** Index of this node among the layer's inbound nodes. */
  readonly index: number;
  /**
   * Input tensors (flattened): the call's positional inputs, then its explicit `mask` when
   * `explicitMask` is set, then `initialStateCount` initial states of a recurrent layer, then one
   * tensor per entry of `tensorKwargNames`.
   */
  readonly inputs: KerasTensor[];
  /** Output tensors. */
  readonly outputs: KerasTensor[];
  /** Whether the layer was called with a list (merge layers). */
  readonly inputsAsList: boolean;
  /** How many of `inputs` are initial states (passed as `initialState`). */
  readonly initialStateCount: number;
  /** Whether the call was given a symbolic `mask` (Keras 3 records it as the `mask` kwarg). */
  readonly explicitMask?: boolean;
  /** Plain keyword arguments of the call (camelCase), e.g. `{ training: true }`. */
  readonly kwargs: Record<string, unknown>;
  /** Names of tensor keyword arguments (camelCase): they are the last inputs, in this order. */
  readonly tensorKwargNames?: readonly string[];
}

/** True when a value is a {@link KerasTensor} or a non-empty list of them. */
export function isSymbolic(value: unknown): value is KerasTensor | KerasTensor[] {
  if (value instanceof KerasTensor) return true;
  return Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof KerasTensor);
}

/** How many of a node's `inputs` are its positional inputs (not the explicit mask, initial states or keyword tensors). */
export function positionalInputCount(node: CallNodeRecord): number {
  return (
    node.inputs.length -
    node.initialStateCount -
    (node.explicitMask === true ? 1 : 0) -
    (node.tensorKwargNames?.length ?? 0)
  );
}
