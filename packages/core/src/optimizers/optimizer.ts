/**
 * The optimizer base class, with Keras 3's shared behaviour: gradient clipping (`clipnorm`,
 * `clipvalue`, `globalClipnorm`, at most one), decoupled weight decay
 * (`w -= w * weightDecay * lr` before the update), an `iterations` counter, and per-variable
 * slot variables created on first use and freed by `dispose`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { autoName } from '../utils/naming.js';
import { ConfigurationError } from '../utils/errors.js';
// Type-only: optimizers sit below the engine (the engine's Model imports them).
import type { LayerVariable } from '../engine/variable.js';

/** Options every optimizer accepts (Keras base optimizer arguments). */
export interface OptimizerArgs {
  /** Step size; read at every step, so it can be changed between steps. */
  learningRate?: number;
  /** Decoupled weight decay factor (Keras default none, AdamW 0.004). */
  weightDecay?: number | null;
  /** Clips each gradient to this L2 norm. */
  clipnorm?: number | null;
  /** Clips each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clips all gradients together to this global L2 norm. */
  globalClipnorm?: number | null;
  /** Optimizer name (default: snake_case class name, e.g. `adam`). */
  name?: string;
}

/** One gradient and the variable it updates. */
export type GradientPair = [gradient: tf.Tensor, variable: tf.Variable];

function positiveOrNull(value: number | null | undefined, what: string, cls: string): number | null {
  if (value === undefined || value === null) return null;
  if (!(Number.isFinite(value) && value >= 0))
    throw new ConfigurationError(`${cls}: ${what} must be a non-negative number, got ${value}`);
  return value;
}

/** `g * clip / max(‖g‖, clip)` (no change when the norm is within bounds). */
function clipByNorm(g: tf.Tensor, clip: number): tf.Tensor {
  const norm = tf.sqrt(tf.sum(tf.square(g)));
  return tf.div(tf.mul(g, clip), tf.maximum(norm, clip));
}

/** Base class of optimizers. Subclasses define their slots and `updateStep`. */
export abstract class Optimizer {
  /** Keras class name. */
  abstract readonly className: string;
  readonly name: string;
  /** Number of steps applied so far. */
  iterations = 0;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  private lr: number;
  private readonly slots = new Map<tf.Variable, tf.Variable[]>();

  constructor(args: OptimizerArgs, defaultLearningRate: number, className: string) {
    this.name = args.name ?? autoName(className);
    this.lr = defaultLearningRate;
    this.learningRate = args.learningRate ?? defaultLearningRate;
    this.weightDecay = positiveOrNull(args.weightDecay, 'weightDecay', className);
    this.clipnorm = positiveOrNull(args.clipnorm, 'clipnorm', className);
    this.clipvalue = positiveOrNull(args.clipvalue, 'clipvalue', className);
    this.globalClipnorm = positiveOrNull(args.globalClipnorm, 'globalClipnorm', className);
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c !== null);
    if (clips.length > 1) {
      throw new ConfigurationError(
        `${className}: only one of clipnorm, clipvalue and globalClipnorm can be set, got clipnorm=${this.clipnorm}, ` +
          `clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      );
    }
  }

  /** The learning rate; setting it takes effect at the next step. */
  get learningRate(): number {
    return this.lr;
  }
  set learningRate(value: number) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new ConfigurationError(
        `${this.className} "${this.name}": learningRate must be a non-negative number, got ${value}`,
      );
    }
    this.lr = value;
  }

  /** Initial values of the slots each variable needs (e.g. Adam: `[0, 0]` for m and v). */
  protected abstract slotInitialValues(): number[];

  /** Updates one variable from its gradient and slots (called inside `tf.tidy`). */
  protected abstract updateStep(
    gradient: tf.Tensor,
    variable: tf.Variable,
    slots: tf.Variable[],
    learningRate: number,
  ): void;

  /** Applies one step to every (gradient, variable) pair, then increments `iterations`. */
  applyGradients(pairs: GradientPair[]): void;
  /**
   * Applies one step with `grads[i]` for `variables[i]` (Keras `optimizer.apply(grads, variables)`,
   * e.g. from `GradientTape.gradient`); `null` gradients are skipped, and weight constraints are
   * applied afterwards, as Keras.
   */
  applyGradients(grads: readonly (tf.Tensor | null)[], variables: readonly (LayerVariable | tf.Variable)[]): void;
  applyGradients(
    first: GradientPair[] | readonly (tf.Tensor | null)[],
    variables?: readonly (LayerVariable | tf.Variable)[],
  ): void {
    if (variables === undefined) {
      this.applyPairs(first as GradientPair[]);
      return;
    }
    const grads = first as readonly (tf.Tensor | null)[];
    if (grads.length !== variables.length) {
      throw new ConfigurationError(
        `${this.className} "${this.name}": applyGradients got ${grads.length} gradient(s) for ${variables.length} variable(s); give one per variable`,
      );
    }
    const pairs: GradientPair[] = [];
    grads.forEach((g, i) => {
      const v = variables[i]!;
      if (g !== null) pairs.push([g, v instanceof tf.Variable ? v : v.value]);
    });
    if (pairs.length === 0)
      throw new ConfigurationError(
        `${this.className} "${this.name}": applyGradients got no gradients (all null); is the loss connected to the variables?`,
      );
    this.applyPairs(pairs);
    for (const v of variables) if (!(v instanceof tf.Variable) && v.constraint !== null) v.applyConstraint();
  }

  private applyPairs(pairs: GradientPair[]): void {
    for (const [, v] of pairs) this.slotsFor(v);
    const lr = this.learningRate;
    tf.tidy(() => {
      const grads = this.clip(pairs.map(([g]) => g));
      pairs.forEach(([, variable], i) => {
        if (this.weightDecay !== null && this.weightDecay > 0) {
          variable.assign(tf.sub(variable, tf.mul(variable, this.weightDecay * lr)));
        }
        const g = grads[i]!;
        this.updateStep(
          g.dtype === variable.dtype ? g : tf.cast(g, variable.dtype),
          variable,
          this.slotsFor(variable),
          lr,
        );
      });
    });
    this.iterations += 1;
  }

  private clip(grads: tf.Tensor[]): tf.Tensor[] {
    if (this.clipnorm !== null && this.clipnorm > 0) return grads.map((g) => clipByNorm(g, this.clipnorm!));
    if (this.globalClipnorm !== null && this.globalClipnorm > 0) {
      const clip = this.globalClipnorm;
      const globalNorm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.div(clip, tf.maximum(globalNorm, clip));
      return grads.map((g) => tf.mul(g, scale));
    }
    if (this.clipvalue !== null && this.clipvalue > 0) {
      const v = this.clipvalue;
      return grads.map((g) => tf.clipByValue(g, -v, v));
    }
    return grads;
  }

  private slotsFor(variable: tf.Variable): tf.Variable[] {
    let slots = this.slots.get(variable);
    if (slots === undefined) {
      slots = this.slotInitialValues().map((value) => {
        const initial = tf.fill(variable.shape, value, variable.dtype);
        const slot = tf.variable(initial, false);
        initial.dispose();
        return slot;
      });
      this.slots.set(variable, slots);
    }
    return slots;
  }

  /** The slot variables, in the order variables were first updated. */
  get variables(): tf.Variable[] {
    return [...this.slots.values()].flat();
  }

  /** Frees the slot variables (the model does this when it is disposed). */
  dispose(): void {
    for (const slots of this.slots.values()) for (const s of slots) s.dispose();
    this.slots.clear();
  }

  /** Keras config (snake_case keys, as `get_config`). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learning_rate: this.learningRate,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
    };
  }
}

/** Base optimizer options from a Keras (snake_case) or camelCase config. */
export function baseArgsFromConfig(c: Record<string, unknown>): OptimizerArgs {
  const n = (a: string, b: string): number | null | undefined => (c[a] ?? c[b]) as number | null | undefined;
  return {
    name: typeof c['name'] === 'string' ? (c['name'] as string) : undefined,
    learningRate: n('learning_rate', 'learningRate') ?? undefined,
    weightDecay: n('weight_decay', 'weightDecay'),
    clipnorm: n('clipnorm', 'clipnorm'),
    clipvalue: n('clipvalue', 'clipvalue'),
    globalClipnorm: n('global_clipnorm', 'globalClipnorm'),
  };
}
