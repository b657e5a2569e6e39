/**
 * `ZeroPadding1D`: pads the steps axis of a sequence with zeros, as `keras.layers.ZeroPadding1D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizePair, type IntOrPair } from './tuple-args.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link ZeroPadding1D}. */
export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros added at the start and end: `p` or `[start, end]` [1]. */
  padding?: IntOrPair;
  /** Input layout [global `imageDataFormat()`]: `channels_last` = `(batch, steps, features)`. */
  dataFormat?: DataFormat | null;
}

/** Adds zeros before and after the steps axis of a 3-D input. */
export class ZeroPadding1D extends Layer {
  static override readonly className: string = 'ZeroPadding1D';
  static override readonly optionKeys: readonly string[] = ['padding', 'dataFormat'];
  readonly padding: [number, number];
  readonly dataFormat: DataFormat;

  constructor(
    padding?: ZeroPadding1DArgs['padding'],
    dataFormat?: ZeroPadding1DArgs['dataFormat'],
    args?: ZeroPadding1DArgs,
  );
  constructor(padding?: ZeroPadding1DArgs['padding'], args?: ZeroPadding1DArgs);
  constructor(args?: ZeroPadding1DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<ZeroPadding1DArgs>(new.target, params, ['padding', 'dataFormat']);
    super(args);
    const where = `Layer "${this.name}" (ZeroPadding1D)`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.padding = standardizePair(args.padding ?? 1, 'padding', where, true);
    this.inputSpec = { ndim: 3 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const pads: [number, number][] =
      this.dataFormat === 'channels_first' ? [[0, 0], [0, 0], this.padding] : [[0, 0], this.padding, [0, 0]];
    return tf.tidy(() => tf.pad(x, pads));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: [...this.padding], dataFormat: this.dataFormat };
  }
}
registerLayer(ZeroPadding1D);
