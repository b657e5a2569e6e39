/**
 * `StackedRNNCells(cells)`, as Keras 3: several cells run one after another within each
 * time step; their states are concatenated in cell order.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerArgs, LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { deserializeLayer, serializeLayer } from './cell-serialization.js';
import { RNNCell, type StepResult } from './rnn-cell.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** A stack of cells acting as one cell. */
export class StackedRNNCells extends RNNCell {
  static override readonly className: string = 'StackedRNNCells';
  static override readonly optionKeys: readonly string[] = ['cells'];
  readonly cells: RNNCell[];

  constructor(cells: RNNCell[], args?: LayerArgs);
  constructor(args: LayerArgs & { cells: RNNCell[] });
  constructor(...params: unknown[]) {
    const { cells, ...args } = layerArgs<LayerArgs & { cells: RNNCell[] }>(new.target, params, ['cells']);
    super(args);
    if (!Array.isArray(cells) || cells.length === 0)
      throw new ConfigurationError(`Layer "${this.name}" (StackedRNNCells): give at least one cell`);
    this.cells = cells.map((c) => this.trackLayer(c));
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  get outputSize(): number {
    return this.cells[this.cells.length - 1]!.outputSize;
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    for (const cell of this.cells) {
      cell.maybeBuild(shape);
      shape = [shape[0] ?? null, cell.outputSize];
    }
  }

  step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    let x = input;
    let offset = 0;
    const next: tf.Tensor[] = [];
    for (const cell of this.cells) {
      const count = cell.stateSize.length;
      const result = cell.step(x, states.slice(offset, offset + count), training);
      offset += count;
      next.push(...result.states);
      x = result.output;
    }
    return { output: x, states: next };
  }

  override resetDropoutMasks(): void {
    for (const cell of this.cells) cell.resetDropoutMasks();
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cells: this.cells.map(serializeLayer) };
  }

  static override fromConfig(config: LayerConfig): StackedRNNCells {
    const { cells, ...rest } = config;
    if (!Array.isArray(cells))
      throw new ConfigurationError('StackedRNNCells config: "cells" must be a list of serialized cells');
    return new StackedRNNCells(
      cells.map((c, i) => deserializeLayer(c, `StackedRNNCells cells[${i}]`) as RNNCell),
      rest,
    );
  }
}
registerLayer(StackedRNNCells);
