/**
 * The PyTorch-reference test shared by the convolution layers' own `*.test.ts` files: build the
 * layer from a `conv.fixture.json` case, load the case's weights, compare the output to 1e-5 and
 * check that the symbolic shape agrees with the eager one.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import type { Layer } from '../../engine/layer.js';
import type { ConvTransposeArgs } from './base-conv-transpose.js';
import type { IntOrTuple } from './base-conv.js';
import type { DepthwiseConvArgs } from './base-depthwise-conv.js';
import type { SeparableConvArgs } from './base-separable-conv.js';
import type { ConvArgs } from './conv-nd.js';
import { expectMatchesReference } from '../reference.test-suite.js';

/** One case of `conv.fixture.json`: Keras-style config, input, weights (by name) and output. */
export type ConvReferenceCase<Config> = { config: Config; input: number[]; output: number[] };

const fixture = JSON.parse(readFileSync(new URL('./conv.fixture.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, ConvReferenceCase<unknown>>
>;

/** What differs between the convolution layers' reference tests. */
export interface ConvReferenceSpec<Config> {
  /** Key of the layer's cases in `conv.fixture.json`, e.g. `conv1d_transpose`. */
  fixtureKey: string;
  /** Test title (with `%s` for the case name); default `matches the PyTorch reference to 1e-5: %s`. */
  title?: string;
  /** Fixture keys of the layer's weights, in `setWeights` order, e.g. `['kernel', 'bias']`. */
  weightKeys: readonly string[];
  /** Builds the layer from the case's Keras-style config. */
  create: (config: Config) => Layer;
}

/** Declares one test per fixture case of `spec.fixtureKey`, inside the caller's describe block. */
export function itMatchesConvReference<Config>(spec: ConvReferenceSpec<Config>): void {
  const cases = Object.entries(fixture[spec.fixtureKey]!) as [string, ConvReferenceCase<Config>][];
  it.each(cases)(spec.title ?? 'matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = spec.create(c.config);
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    // A null weight (e.g. the bias of a `use_bias: false` case) is not created by the layer.
    const values = spec.weightKeys.map((key) => (c as unknown as Record<string, number[] | null>)[key]);
    const weights = values.filter((v): v is number[] => v !== null && v !== undefined).map((v) => tf.tensor(v));
    layer.setWeights(weights);
    expectMatchesReference(layer, x, c.output);
    tf.dispose([x, ...weights]);
    layer.dispose();
  });
}

/** The fixture config keys every convolution case has. */
interface FixtureConvConfig {
  kernel_size: number[];
  strides: number[];
  padding: string;
  dilation_rate: number[];
  data_format: string;
}

/** The window options every convolution case sets, from its fixture config (`kernelSize` aside). */
function windowArgs(config: FixtureConvConfig): {
  strides: number[];
  padding: string;
  dilationRate: number[];
  dataFormat: string;
} {
  return {
    strides: config.strides,
    padding: config.padding,
    dilationRate: config.dilation_rate,
    dataFormat: config.data_format,
  };
}

/** `Conv1D` / `Conv2D` / `Conv3D` cases: plain convolution (with `groups` and `use_bias`). */
export function itMatchesPlainConvReference(
  Conv: new (filters: number, args: ConvArgs) => Layer,
  fixtureKey: string,
): void {
  itMatchesConvReference<FixtureConvConfig & { filters: number; groups: number; use_bias: boolean }>({
    fixtureKey,
    weightKeys: ['kernel', 'bias'],
    create: (config) =>
      new Conv(config.filters, {
        kernelSize: config.kernel_size,
        ...windowArgs(config),
        groups: config.groups,
        useBias: config.use_bias,
      }),
  });
}

/** `Conv1DTranspose` / `Conv2DTranspose` / `Conv3DTranspose` cases (TF output size and padding). */
export function itMatchesConvTransposeReference(
  ConvTranspose: new (filters: number, args: ConvTransposeArgs) => Layer,
  fixtureKey: string,
): void {
  itMatchesConvReference<FixtureConvConfig & { filters: number; output_padding: number[] | null }>({
    fixtureKey,
    title: 'matches the PyTorch reference (TF output size and padding) to 1e-5: %s',
    weightKeys: ['kernel', 'bias'],
    create: (config) =>
      new ConvTranspose(config.filters, {
        kernelSize: config.kernel_size,
        ...windowArgs(config),
        outputPadding: config.output_padding,
      }),
  });
}

/** `DepthwiseConv1D` / `DepthwiseConv2D` cases (kernel size first). */
export function itMatchesDepthwiseConvReference(
  DepthwiseConv: new (kernelSize: IntOrTuple, args: DepthwiseConvArgs) => Layer,
  fixtureKey: string,
): void {
  itMatchesConvReference<FixtureConvConfig & { depth_multiplier: number }>({
    fixtureKey,
    weightKeys: ['kernel', 'bias'],
    create: (config) =>
      new DepthwiseConv(config.kernel_size, { ...windowArgs(config), depthMultiplier: config.depth_multiplier }),
  });
}

/** `SeparableConv1D` / `SeparableConv2D` cases (depthwise, pointwise kernel and bias). */
export function itMatchesSeparableConvReference(
  SeparableConv: new (filters: number, args: SeparableConvArgs) => Layer,
  fixtureKey: string,
): void {
  itMatchesConvReference<FixtureConvConfig & { filters: number; depth_multiplier: number }>({
    fixtureKey,
    weightKeys: ['depthwise_kernel', 'pointwise_kernel', 'bias'],
    create: (config) =>
      new SeparableConv(config.filters, {
        kernelSize: config.kernel_size,
        ...windowArgs(config),
        depthMultiplier: config.depth_multiplier,
      }),
  });
}
