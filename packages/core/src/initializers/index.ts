/**
 * Keras 3 initializers (`keras.initializers`) with Keras names, classes and defaults.
 */
import * as tf from '@tensorflow/tfjs-core';
import { drawSeed } from '../utils/random-seed.js';
import { resolveByName, serializeObject, type SerializedObject } from '../utils/serialization.js';
import { ConfigurationError } from '../utils/errors.js';

/** Creates the initial value of a weight. */
export abstract class Initializer {
  /** Keras class name, e.g. `"GlorotUniform"`. */
  abstract readonly className: string;
  /** Returns a new tensor of the given shape. */
  abstract call(shape: number[], dtype?: tf.DataType): tf.Tensor;
  /** The Keras config of this initializer. */
  abstract getConfig(): Record<string, unknown>;
}

/** Keras's fan computation: rank-2 `[in, out]`; conv kernels `[...spatial, in, out]`. */
export function computeFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** A seed for reproducible draws; `null` draws a random one. */
export type Seed = number | null;

/** All zeros. */
export class Zeros extends Initializer {
  readonly className = 'Zeros';
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.zeros(shape, dtype);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** All ones. */
export class Ones extends Initializer {
  readonly className = 'Ones';
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.ones(shape, dtype);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** A constant value (default 0). */
export class Constant extends Initializer {
  readonly className = 'Constant';
  constructor(readonly value = 0) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.fill(shape, this.value, dtype);
  }
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** Normal distribution (Keras defaults mean 0, stddev 0.05). */
export class RandomNormal extends Initializer {
  readonly className = 'RandomNormal';
  constructor(readonly args: { mean?: number; stddev?: number; seed?: Seed } = {}) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.randomNormal(
      shape,
      this.args.mean ?? 0,
      this.args.stddev ?? 0.05,
      dtype as 'float32',
      this.args.seed ?? drawSeed(),
    );
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.args.mean ?? 0, stddev: this.args.stddev ?? 0.05, seed: this.args.seed ?? null };
  }
}

/** Uniform distribution (Keras defaults minval -0.05, maxval 0.05). */
export class RandomUniform extends Initializer {
  readonly className = 'RandomUniform';
  constructor(readonly args: { minval?: number; maxval?: number; seed?: Seed } = {}) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.randomUniform(
      shape,
      this.args.minval ?? -0.05,
      this.args.maxval ?? 0.05,
      dtype,
      this.args.seed ?? drawSeed(),
    );
  }
  getConfig(): Record<string, unknown> {
    return { minval: this.args.minval ?? -0.05, maxval: this.args.maxval ?? 0.05, seed: this.args.seed ?? null };
  }
}

/** Truncated normal, values beyond two standard deviations redrawn (Keras defaults mean 0, stddev 0.05). */
export class TruncatedNormal extends Initializer {
  readonly className = 'TruncatedNormal';
  constructor(readonly args: { mean?: number; stddev?: number; seed?: Seed } = {}) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.truncatedNormal(
      shape,
      this.args.mean ?? 0,
      this.args.stddev ?? 0.05,
      dtype as 'float32',
      this.args.seed ?? drawSeed(),
    );
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.args.mean ?? 0, stddev: this.args.stddev ?? 0.05, seed: this.args.seed ?? null };
  }
}

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingArgs {
  scale?: number;
  mode?: 'fan_in' | 'fan_out' | 'fan_avg';
  distribution?: 'truncated_normal' | 'untruncated_normal' | 'uniform';
  seed?: Seed;
}

/** Keras `VarianceScaling` (defaults scale 1, mode fan_in, truncated_normal). */
export class VarianceScaling extends Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: 'fan_in' | 'fan_out' | 'fan_avg';
  readonly distribution: 'truncated_normal' | 'untruncated_normal' | 'uniform';
  readonly seed: Seed;
  constructor(args: VarianceScalingArgs = {}) {
    super();
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    // Keras 3 lower-cases the name and reads Keras 2's "normal" as "truncated_normal" (random_initializers.py).
    const distribution = String(args.distribution ?? 'truncated_normal').toLowerCase();
    this.distribution = (
      distribution === 'normal' ? 'truncated_normal' : distribution
    ) as VarianceScalingArgs['distribution'] & string;
    this.seed = args.seed ?? null;
    if (!(this.scale > 0)) throw new ConfigurationError(`VarianceScaling: scale must be positive, got ${this.scale}`);
    const modes = ['fan_in', 'fan_out', 'fan_avg'];
    if (!modes.includes(this.mode))
      throw new ConfigurationError(`VarianceScaling: invalid mode "${this.mode}"; valid choices: ${modes.join(', ')}`);
    const dists = ['truncated_normal', 'untruncated_normal', 'uniform'];
    if (!dists.includes(this.distribution)) {
      throw new ConfigurationError(
        `VarianceScaling: invalid distribution "${this.distribution}"; valid choices: ${dists.join(', ')}`,
      );
    }
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    const seed = this.seed ?? drawSeed();
    if (this.distribution === 'truncated_normal') {
      // 0.879... is the stddev of a standard normal truncated to (-2, 2).
      return tf.truncatedNormal(shape, 0, Math.sqrt(variance) / 0.8796256610342398, dtype as 'float32', seed);
    }
    if (this.distribution === 'untruncated_normal') {
      return tf.randomNormal(shape, 0, Math.sqrt(variance), dtype as 'float32', seed);
    }
    const limit = Math.sqrt(3 * variance);
    return tf.randomUniform(shape, -limit, limit, dtype, seed);
  }
  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

function varianceScalingPreset(
  className: string,
  scale: number,
  mode: VarianceScalingArgs['mode'],
  distribution: VarianceScalingArgs['distribution'],
) {
  return class extends VarianceScaling {
    override readonly className = className;
    constructor(args: { seed?: Seed } = {}) {
      super({ scale, mode, distribution, seed: args.seed ?? null });
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed };
    }
  };
}

/** Glorot (Xavier) uniform. Keras's default kernel initializer. */
export const GlorotUniform = varianceScalingPreset('GlorotUniform', 1, 'fan_avg', 'uniform');
/** Glorot (Xavier) normal. */
export const GlorotNormal = varianceScalingPreset('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
/** He normal. */
export const HeNormal = varianceScalingPreset('HeNormal', 2, 'fan_in', 'truncated_normal');
/** He uniform. */
export const HeUniform = varianceScalingPreset('HeUniform', 2, 'fan_in', 'uniform');
/** LeCun normal (for SELU networks). */
export const LecunNormal = varianceScalingPreset('LecunNormal', 1, 'fan_in', 'truncated_normal');
/** LeCun uniform. */
export const LecunUniform = varianceScalingPreset('LecunUniform', 1, 'fan_in', 'uniform');

/** Orthogonal matrix (Keras default gain 1), used for recurrent kernels. */
export class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  constructor(readonly args: { gain?: number; seed?: Seed } = {}) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.tidy(() => {
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1] ?? 1;
      const flat = tf.randomNormal(
        [Math.max(rows, cols), Math.min(rows, cols)],
        0,
        1,
        'float32',
        this.args.seed ?? drawSeed(),
      );
      const [q, r] = tf.linalg.qr(flat as tf.Tensor2D);
      // Sign correction makes the distribution uniform over orthogonal matrices.
      const d = tf.sign(tf.sum(tf.mul(r!, tf.eye(r!.shape[0], r!.shape[1])), 0));
      let m = tf.mul(q!, d);
      if (rows < cols) m = tf.transpose(m);
      return tf.cast(tf.reshape(tf.mul(m, this.args.gain ?? 1), shape), dtype);
    });
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.args.gain ?? 1, seed: this.args.seed ?? null };
  }
}

/** Identity matrix times gain (2-D shapes only). */
export class Identity extends Initializer {
  readonly className = 'Identity';
  constructor(readonly args: { gain?: number } = {}) {
    super();
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    if (shape.length !== 2)
      throw new ConfigurationError(`Identity initializer needs a 2-D shape, got [${shape.join(', ')}]`);
    return tf.tidy(() => tf.cast(tf.mul(tf.eye(shape[0]!, shape[1]!), this.args.gain ?? 1), dtype));
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.args.gain ?? 1 };
  }
}

type Factory = (config: Record<string, unknown>) => Initializer;
const byClass: Record<string, Factory> = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (c) => new Constant(c['value'] as number | undefined),
  RandomNormal: (c) => new RandomNormal(c),
  RandomUniform: (c) => new RandomUniform(c),
  TruncatedNormal: (c) => new TruncatedNormal(c),
  VarianceScaling: (c) => new VarianceScaling(c as VarianceScalingArgs),
  GlorotUniform: (c) => new GlorotUniform(c),
  GlorotNormal: (c) => new GlorotNormal(c),
  HeNormal: (c) => new HeNormal(c),
  HeUniform: (c) => new HeUniform(c),
  LecunNormal: (c) => new LecunNormal(c),
  LecunUniform: (c) => new LecunUniform(c),
  Orthogonal: (c) => new Orthogonal(c),
  Identity: (c) => new Identity(c),
};
const INITIALIZERS: Record<string, Factory> = { ...byClass };
for (const [className, factory] of Object.entries(byClass)) {
  // Keras's snake_case aliases: glorot_uniform, he_normal, random_normal, ...
  INITIALIZERS[className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()] = factory;
}
// Keras's short aliases (keras/src/initializers/__init__.py).
Object.assign(INITIALIZERS, {
  uniform: byClass['RandomUniform']!,
  normal: byClass['RandomNormal']!,
  zero: byClass['Zeros']!,
  one: byClass['Ones']!,
});
// Earlier class names: `OrthogonalInitializer` was the class of Keras 3.0–3.7 (so every LSTM/GRU
// they saved names it as its recurrent_initializer); 3.8+ keeps both as aliases.
Object.assign(INITIALIZERS, {
  OrthogonalInitializer: byClass['Orthogonal']!,
  orthogonal_initializer: byClass['Orthogonal']!,
  IdentityInitializer: byClass['Identity']!,
});

/** An initializer given by Keras name, serialized object or instance. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: Record<string, unknown> };

/** Resolves an initializer; unknown names are an error listing the valid ones. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  return resolveByName('initializer', identifier, INITIALIZERS, (v): v is Initializer => v instanceof Initializer);
}

/** The Keras 3 serialized form of an initializer. */
export function serializeInitializer(initializer: Initializer): SerializedObject {
  return serializeObject('keras.initializers', initializer);
}
