/**
 * Keras 3 weight constraints (`keras.constraints`), applied after each optimizer step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { resolveByName, serializeObject, type SerializedObject } from '../utils/serialization.js';

/** Projects a weight back into an allowed set after an update. */
export abstract class Constraint {
  abstract readonly className: string;
  abstract call(w: tf.Tensor): tf.Tensor;
  abstract getConfig(): Record<string, unknown>;
}

function norms(w: tf.Tensor, axis: number | number[]): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** Caps the norm along `axis` at `maxValue` (Keras defaults 2, axis 0). */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  constructor(readonly args: { maxValue?: number; axis?: number | number[] } = {}) {
    super();
  }
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.args.axis ?? 0);
      const desired = tf.clipByValue(n, 0, this.args.maxValue ?? 2);
      return tf.mul(w, tf.div(desired, tf.add(n, 1e-7)));
    });
  }
  getConfig(): Record<string, unknown> {
    return { maxValue: this.args.maxValue ?? 2, axis: this.args.axis ?? 0 };
  }
}

/** Keeps weights non-negative. */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(w, tf.cast(tf.greaterEqual(w, 0), w.dtype)));
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Unit norm along `axis` (Keras default 0). */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  constructor(readonly args: { axis?: number | number[] } = {}) {
    super();
  }
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(norms(w, this.args.axis ?? 0), 1e-7)));
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.args.axis ?? 0 };
  }
}

/** Norm between `minValue` and `maxValue` (Keras defaults 0, 1, rate 1, axis 0). */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  constructor(readonly args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    super();
  }
  call(w: tf.Tensor): tf.Tensor {
    const { minValue = 0, maxValue = 1, rate = 1, axis = 0 } = this.args;
    return tf.tidy(() => {
      const n = norms(w, axis);
      const desired = tf.add(tf.mul(rate, tf.clipByValue(n, minValue, maxValue)), tf.mul(1 - rate, n));
      return tf.mul(w, tf.div(desired, tf.add(n, 1e-7)));
    });
  }
  getConfig(): Record<string, unknown> {
    const { minValue = 0, maxValue = 1, rate = 1, axis = 0 } = this.args;
    return { minValue, maxValue, rate, axis };
  }
}

type Factory = (config: Record<string, unknown>) => Constraint;
const CONSTRAINTS: Record<string, Factory> = {
  max_norm: (c) => new MaxNorm(c),
  non_neg: () => new NonNeg(),
  unit_norm: (c) => new UnitNorm(c),
  min_max_norm: (c) => new MinMaxNorm(c),
  MaxNorm: (c) => new MaxNorm(c),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c) => new UnitNorm(c),
  MinMaxNorm: (c) => new MinMaxNorm(c),
};

/** A constraint given by Keras name, serialized object or instance. */
export type ConstraintIdentifier = string | Constraint | { className: string; config?: Record<string, unknown> };

/** Resolves a constraint; unknown names are an error listing the valid ones. */
export function getConstraint(identifier: ConstraintIdentifier): Constraint {
  return resolveByName('constraint', identifier, CONSTRAINTS, (v): v is Constraint => v instanceof Constraint);
}

/** The Keras 3 serialized form of a constraint. */
export function serializeConstraint(constraint: Constraint): SerializedObject {
  return serializeObject('keras.constraints', constraint);
}
