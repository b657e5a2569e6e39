/**
 * `Bidirectional(layer, {mergeMode})`, as Keras 3: runs a recurrent layer forwards and a copy
 * backwards and merges their outputs (`concat`, `sum`, `mul`, `ave`, or `null` for both).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { layerFromConfig, registerLayer } from '../../engine/registry.js';
import type { LayerOutput, TensorOrList } from '../../engine/shape-utils.js';
import { deserializeLayer, serializeLayer } from './cell-serialization.js';
import { RNN } from './rnn.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** How the two directions are combined. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** Options of {@link Bidirectional}. */
export interface BidirectionalArgs extends LayerArgs {
  /** How to combine the outputs [concat]. */
  mergeMode?: MergeMode;
  /** The backward layer; by default a copy of `layer` with `goBackwards` flipped. */
  backwardLayer?: RNN | null;
}

function withPrefix(prefix: string, name: string): string {
  const bare = name.startsWith('forward_') ? name.slice(8) : name.startsWith('backward_') ? name.slice(9) : name;
  return `${prefix}${bare}`;
}

/** A bidirectional wrapper for recurrent layers. */
export class Bidirectional extends Layer {
  static override readonly className: string = 'Bidirectional';
  static override readonly optionKeys: readonly string[] = ['layer', 'mergeMode', 'backwardLayer'];
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(layer: RNN, mergeMode?: BidirectionalArgs['mergeMode'], args?: BidirectionalArgs);
  constructor(layer: RNN, args?: BidirectionalArgs);
  constructor(args: BidirectionalArgs & { layer: RNN });
  constructor(...params: unknown[]) {
    const { layer, ...args } = layerArgs<BidirectionalArgs & { layer: RNN }>(new.target, params, [
      'layer',
      'mergeMode',
    ]);
    super(args);
    if (!(layer instanceof RNN))
      throw new ConfigurationError(
        `Layer "${this.name}" (Bidirectional): expected a recurrent layer (RNN, LSTM, GRU, SimpleRNN), got ${String(layer)}`,
      );
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (Bidirectional): invalid mergeMode ${JSON.stringify(mergeMode)}; valid choices: concat, sum, mul, ave, null`,
      );
    }
    this.mergeMode = mergeMode;
    // Keras rebuilds the forward layer from its config under a "forward_" name.
    const config = layer.getConfig();
    this.forwardLayer = layerFromConfig(layer.className, {
      ...config,
      name: withPrefix('forward_', layer.name),
    }) as RNN;
    const backward =
      args.backwardLayer ??
      (layerFromConfig(layer.className, {
        ...config,
        name: withPrefix('backward_', layer.name),
        goBackwards: !layer.goBackwards,
      }) as RNN);
    if (backward.returnSequences !== layer.returnSequences || backward.returnState !== layer.returnState) {
      throw new ConfigurationError(
        `Layer "${this.name}" (Bidirectional): the forward and backward layers must agree on returnSequences and returnState`,
      );
    }
    this.backwardLayer = backward;
    // Keras forces zero outputs on masked steps in both directions when returning sequences
    // (`zero_output_for_mask = return_sequences`, which its saved config shows).
    this.forwardLayer.zeroOutputForMask = this.forwardLayer.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.backwardLayer.returnSequences;
    this.trackLayer(this.forwardLayer);
    this.trackLayer(this.backwardLayer);
  }

  override build(inputShape: Shape | Shape[]): void {
    this.forwardLayer.maybeBuild(inputShape);
    this.backwardLayer.maybeBuild(inputShape);
  }

  call(inputs: TensorOrList, context: CallContext): LayerOutput {
    return tf.tidy(() => {
      const states = context.initialState;
      const half = states ? states.length / 2 : 0;
      const forward = this.forwardLayer.invoke(inputs, { ...context, initialState: states?.slice(0, half) });
      const backward = this.backwardLayer.invoke(inputs, { ...context, initialState: states?.slice(half) });
      const [fOut, ...fStates] = Array.isArray(forward) ? forward : [forward];
      const [bRaw, ...bStates] = Array.isArray(backward) ? backward : [backward];
      // The backward sequence comes out in processing order; flip it back to align time steps.
      const bOut = this.forwardLayer.returnSequences ? tf.reverse(bRaw!, 1) : bRaw!;
      const merged = this.merge(fOut!, bOut);
      const outputs = Array.isArray(merged) ? merged : [merged];
      return this.forwardLayer.returnState ? [...outputs, ...fStates, ...bStates] : merged;
    });
  }

  private merge(forward: tf.Tensor, backward: tf.Tensor): tf.Tensor | tf.Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return tf.concat([forward, backward], -1);
      case 'sum':
        return tf.add(forward, backward);
      case 'mul':
        return tf.mul(forward, backward);
      case 'ave':
        return tf.div(tf.add(forward, backward), 2);
      default:
        return [forward, backward];
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const forward = this.forwardLayer.computeOutputShape(inputShape);
    const [out, ...states] = (this.forwardLayer.returnState ? forward : [forward]) as Shape[];
    const last = out![out!.length - 1] ?? null;
    const merged: Shape[] =
      this.mergeMode === null
        ? [out!, out!]
        : [this.mergeMode === 'concat' ? [...out!.slice(0, -1), last === null ? null : 2 * last] : out!];
    if (!this.forwardLayer.returnState) return merged.length === 1 ? merged[0]! : merged;
    return [...merged, ...states, ...states];
  }

  override computeMask(_inputs: TensorOrList, mask: CallContext['mask']): tf.Tensor | (tf.Tensor | null)[] | null {
    const outputMask = this.forwardLayer.returnSequences
      ? Array.isArray(mask)
        ? (mask[0] ?? null)
        : (mask ?? null)
      : null;
    if (this.mergeMode === null) return [outputMask, outputMask];
    return outputMask;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: serializeLayer(this.forwardLayer),
      backwardLayer: serializeLayer(this.backwardLayer),
    };
  }

  static override fromConfig(config: LayerConfig): Bidirectional {
    const { layer, backwardLayer, ...rest } = config;
    const forward = deserializeLayer(layer, 'Bidirectional config "layer"') as RNN;
    const backward = backwardLayer
      ? (deserializeLayer(backwardLayer, 'Bidirectional config "backward_layer"') as RNN)
      : null;
    return new Bidirectional(forward, { ...(rest as BidirectionalArgs), backwardLayer: backward });
  }
}
registerLayer(Bidirectional);
