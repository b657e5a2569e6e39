/**
 * A weight of a layer: a TF.js variable with its Keras name, path, trainability,
 * regularizer and constraint.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { InputShapeError } from '../utils/errors.js';

let uid = 0;

/** One weight of a layer (Keras `Variable`). */
export class LayerVariable {
  /** The TF.js variable holding the value. */
  readonly value: tf.Variable;
  /** Whether the optimizer updates it (also false when its layer is frozen). */
  private ownTrainable: boolean;

  constructor(
    /** Keras weight name, e.g. `kernel`. */
    readonly name: string,
    initial: tf.Tensor,
    /** The owning layer; used for the weight's path and frozen state. */
    readonly owner: { readonly name: string; readonly trainable: boolean },
    trainable: boolean,
    readonly regularizer: Regularizer | null = null,
    readonly constraint: Constraint | null = null,
  ) {
    uid += 1;
    // TF.js requires globally unique variable names; Keras paths are not.
    this.value = tf.variable(initial, trainable, `${owner.name}/${name}_${uid}`);
    this.ownTrainable = trainable;
  }

  /** Keras path, e.g. `dense/kernel`. */
  get path(): string {
    return `${this.owner.name}/${this.name}`;
  }

  /** Trainable when created trainable and its layer is not frozen. */
  get trainable(): boolean {
    return this.ownTrainable && this.owner.trainable;
  }

  /** Whether the weight was created trainable (independent of its layer's state). */
  get createdTrainable(): boolean {
    return this.ownTrainable;
  }

  /** The weight's shape. */
  get shape(): number[] {
    return this.value.shape;
  }

  /** Replaces the value; the shape must match. */
  assign(newValue: tf.Tensor): void {
    if (!tf.util.arraysEqual(newValue.shape, this.value.shape)) {
      throw new InputShapeError(
        `Weight "${this.path}": expected shape [${this.value.shape.join(', ')}], got [${newValue.shape.join(', ')}]`,
      );
    }
    this.value.assign(newValue.dtype === this.value.dtype ? newValue : tf.cast(newValue, this.value.dtype));
  }

  /** Applies the constraint, if any, after an optimizer step. */
  applyConstraint(): void {
    if (this.constraint === null) return;
    const constrained = this.constraint.call(this.value);
    this.value.assign(constrained);
    constrained.dispose();
  }

  /** Frees the variable. */
  dispose(): void {
    this.value.dispose();
  }
}
