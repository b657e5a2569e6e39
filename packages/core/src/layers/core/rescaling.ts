/**
 * `Rescaling`: `inputs * scale + offset`, as `keras.layers.Rescaling` (a Keras
 * preprocessing layer; here among the core layers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { imageDataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** A scale or offset: a number, or per-channel values. */
export type RescalingValue = number | number[];

/** Options of {@link Rescaling}. */
export interface RescalingArgs extends LayerArgs {
  /** Added after scaling [0]. */
  offset?: RescalingValue | SerializedNumpy;
}

/** How Keras serializes a NumPy array inside a config (`{"class_name": "__numpy__", ...}`). */
export interface SerializedNumpy {
  className: '__numpy__';
  config: { value: number | number[]; dtype?: string };
}

function toValue(value: unknown, key: string, layerName: string): RescalingValue {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return [...(value as number[])];
  if (value !== null && typeof value === 'object' && (value as { className?: unknown }).className === '__numpy__') {
    return toValue((value as SerializedNumpy).config.value, key, layerName);
  }
  throw new ConfigurationError(
    `Layer "${layerName}" (Rescaling): ${key} must be a number or an array of numbers, got ${JSON.stringify(value)}`,
  );
}

/**
 * Multiplies the input by `scale` and adds `offset`, e.g. `new Rescaling(1 / 255)` maps
 * `[0, 255]` to `[0, 1]`; `new Rescaling(1 / 127.5, { offset: -1 })` maps it to `[-1, 1]`.
 * Array scales are per channel (reshaped to `[C, 1, 1]` when the global data format is
 * `channels_first`, as Keras does). Masks pass through.
 */
export class Rescaling extends Layer {
  static override readonly className: string = 'Rescaling';
  static override readonly optionKeys: readonly string[] = ['scale', 'offset'];
  readonly scale: RescalingValue;
  readonly offset: RescalingValue;

  constructor(scale: RescalingValue | SerializedNumpy, offset?: RescalingArgs['offset'], args?: RescalingArgs);
  constructor(scale: RescalingValue | SerializedNumpy, args?: RescalingArgs);
  constructor(args: RescalingArgs & { scale: RescalingValue | SerializedNumpy });
  constructor(...params: unknown[]) {
    // A serialized numpy scale is an object too, but never the options.
    const numpyFirst = (params[0] as { className?: unknown } | undefined)?.className === '__numpy__';
    const { scale, ...args } = numpyFirst
      ? { ...layerArgs<RescalingArgs>(new.target, params.slice(1), ['offset']), scale: params[0] as SerializedNumpy }
      : layerArgs<RescalingArgs & { scale: RescalingValue | SerializedNumpy }>(new.target, params, ['scale', 'offset']);
    super(args);
    this.scale = toValue(scale, 'scale', this.name);
    this.offset = toValue(args.offset ?? 0, 'offset', this.name);
    this.supportsMasking = true;
  }

  private asTensor(value: RescalingValue): tf.Tensor {
    if (typeof value === 'number') return tf.scalar(value);
    const t = tf.tensor1d(value);
    // Keras reshapes only the scale for channels_first; an array offset broadcasts as given.
    return t;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      let scale = this.asTensor(this.scale);
      if (scale.rank > 0 && imageDataFormat() === 'channels_first') {
        scale = tf.reshape(scale, [...scale.shape, ...new Array<number>(3 - scale.rank).fill(1)]);
      }
      const input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      return tf.add(tf.mul(input, scale), this.asTensor(this.offset));
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }

  static override fromConfig(config: LayerConfig): Rescaling {
    return new Rescaling(config['scale'] as RescalingValue, config as RescalingArgs);
  }
}
registerLayer(Rescaling);
