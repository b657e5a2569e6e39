import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmTrainingKernels, wasmTrainingKernelConfigs } from './index.js';
import { prepareBackends } from './test-support.test-suite.js';

describe('registerWasmTrainingKernels', () => {
  beforeAll(prepareBackends);
  afterEach(() => vi.restoreAllMocks());

  it('registers every training kernel for wasm', () => {
    const names = wasmTrainingKernelConfigs.map((c) => c.kernelName);
    expect(names).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
      'Einsum',
    ]);
    for (const config of wasmTrainingKernelConfigs) {
      expect(tf.getKernel(config.kernelName, 'wasm')).toBe(config);
    }
  });

  it('is idempotent: a second call re-registers nothing and warns about nothing', () => {
    const warn = vi.spyOn(console, 'warn');
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(warn).not.toHaveBeenCalled();
    for (const config of wasmTrainingKernelConfigs) expect(tf.getKernel(config.kernelName, 'wasm')).toBe(config);
  });
});
