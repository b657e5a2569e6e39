/**
 * Keras 3 weight regularizers (`keras.regularizers`): `l1`, `l2`, `l1_l2`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { resolveByName, serializeObject, type SerializedObject } from '../utils/serialization.js';
import { ConfigurationError } from '../utils/errors.js';

/** Adds a penalty on a weight (or activation) to the loss. */
export abstract class Regularizer {
  abstract readonly className: string;
  /** The penalty as a scalar tensor. */
  abstract call(x: tf.Tensor): tf.Scalar;
  abstract getConfig(): Record<string, unknown>;
}

function checkFactor(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(`Regularizer ${name} must be a non-negative number, got ${value}`);
  }
  return value;
}

/** `l1 * sum(|x|)`, Keras default l1 = 0.01. */
export class L1 extends Regularizer {
  readonly className = 'L1';
  readonly l1: number;
  constructor(l1 = 0.01) {
    super();
    this.l1 = checkFactor('l1', l1);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l1, tf.sum(tf.abs(x))));
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** `l2 * sum(x²)`, Keras default l2 = 0.01 (no factor 1/2, as Keras). */
export class L2 extends Regularizer {
  readonly className = 'L2';
  readonly l2: number;
  constructor(l2 = 0.01) {
    super();
    this.l2 = checkFactor('l2', l2);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l2, tf.sum(tf.square(x))));
  }
  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** `l1 * sum(|x|) + l2 * sum(x²)`, Keras defaults 0 and 0. */
export class L1L2 extends Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0);
    this.l2 = checkFactor('l2', args.l2 ?? 0);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.add(tf.mul(this.l1, tf.sum(tf.abs(x))), tf.mul(this.l2, tf.sum(tf.square(x)))));
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

type Factory = (config: Record<string, unknown>) => Regularizer;
const REGULARIZERS: Record<string, Factory> = {
  l1: (c) => new L1(c['l1'] as number | undefined),
  l2: (c) => new L2(c['l2'] as number | undefined),
  l1_l2: (c) => new L1L2(c),
  L1: (c) => new L1(c['l1'] as number | undefined),
  L2: (c) => new L2(c['l2'] as number | undefined),
  L1L2: (c) => new L1L2(c),
};

/** A regularizer given by Keras name, serialized object or instance. */
export type RegularizerIdentifier = string | Regularizer | { className: string; config?: Record<string, unknown> };

/** Resolves a regularizer; unknown names are an error listing the valid ones. */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  return resolveByName('regularizer', identifier, REGULARIZERS, (v): v is Regularizer => v instanceof Regularizer);
}

/** Keras-style `l1(0.01)` factory. */
export const l1 = (value = 0.01): L1 => new L1(value);
/** Keras-style `l2(0.01)` factory. */
export const l2 = (value = 0.01): L2 => new L2(value);
/** Keras-style `l1_l2(l1, l2)` factory (Keras defaults 0.0, 0.0). */
export const l1l2 = (args: { l1?: number; l2?: number } = {}): L1L2 => new L1L2(args);

/** The Keras 3 serialized form of a regularizer. */
export function serializeRegularizer(regularizer: Regularizer): SerializedObject {
  return serializeObject('keras.regularizers', regularizer);
}
