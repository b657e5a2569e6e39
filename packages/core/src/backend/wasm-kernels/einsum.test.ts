import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { planEinsum } from './einsum-equation.js';
import { expectWasmMatchesCpu, prepareBackends, randomTensor } from './test-support.test-suite.js';

describe('Einsum on wasm', () => {
  beforeAll(prepareBackends);

  const cases: Array<[string, number[][]]> = [
    [
      'ij,jk->ik',
      [
        [3, 5],
        [5, 4],
      ],
    ],
    [
      'ij,kj->ik',
      [
        [3, 5],
        [4, 5],
      ],
    ],
    [
      'ji,jk->ik',
      [
        [5, 3],
        [5, 4],
      ],
    ],
    [
      'bij,bjk->bik',
      [
        [2, 3, 5],
        [2, 5, 4],
      ],
    ],
    [
      'bij,bkj->bki',
      [
        [2, 3, 5],
        [2, 4, 5],
      ],
    ],
    [
      'bqhd,bkhd->bhqk',
      [
        [2, 3, 2, 4],
        [2, 5, 2, 4],
      ],
    ],
    [
      'bhqk,bkhd->bqhd',
      [
        [2, 2, 3, 5],
        [2, 5, 2, 4],
      ],
    ],
    [
      'abc,cd->abd',
      [
        [2, 3, 4],
        [4, 5],
      ],
    ],
    [
      'abc,bd->ad',
      [
        [2, 3, 4],
        [3, 5],
      ],
    ],
    ['i,i->', [[7], [7]]],
    ['i,j->ij', [[3], [4]]],
    ['ij->ji', [[3, 4]]],
    ['ijk->ki', [[2, 3, 4]]],
    ['ij->', [[3, 4]]],
  ];
  cases.forEach(([equation, shapes], index) => {
    it(`matches cpu for '${equation}'`, async () => {
      const operands = shapes.map((shape, k) => randomTensor(shape, 900 + index * 10 + k));
      await expectWasmMatchesCpu('Einsum', operands, { equation }, equation);
    });
  });

  it('plans the implicit output as the once-used letters in alphabetical order', () => {
    expect(
      planEinsum('ba,ac', [
        [2, 3],
        [3, 4],
      ]).outputShape,
    ).toEqual([2, 4]);
    expect(
      planEinsum('ij,jk', [
        [2, 3],
        [3, 4],
      ]).outputShape,
    ).toEqual([2, 4]);
  });

  it('names the equation when it is unsupported', async () => {
    await tf.setBackend('wasm');
    const a = tf.zeros([3, 3]);
    const b = tf.zeros([3]);
    expect(() => tf.engine().runKernel('Einsum', [a] as unknown as tf.NamedTensorMap, { equation: 'ii->i' })).toThrow(
      /unsupported equation 'ii->i'.*repeated/,
    );
    expect(() =>
      tf.engine().runKernel('Einsum', [a, b, b] as unknown as tf.NamedTensorMap, { equation: 'ij,j,j->i' }),
    ).toThrow(/unsupported equation 'ij,j,j->i': 3 operands/);
    expect(() =>
      tf.engine().runKernel('Einsum', [a, b] as unknown as tf.NamedTensorMap, { equation: '...j,j->...' }),
    ).toThrow(/unsupported equation '\.\.\.j,j->\.\.\.'.*ellipsis/);
    const four = tf.zeros([4]);
    expect(() =>
      tf.engine().runKernel('Einsum', [a, four] as unknown as tf.NamedTensorMap, { equation: 'ij,j->i' }),
    ).toThrow(/letter 'j' of 'ij,j->i' has sizes 3 and 4/);
    const ints = tf.zeros([3, 3], 'int32');
    expect(() =>
      tf.engine().runKernel('Einsum', [ints, ints] as unknown as tf.NamedTensorMap, { equation: 'ij,jk->ik' }),
    ).toThrow(/'ij,jk->ik' on wasm needs float32 operands, got 'int32'/);
    tf.dispose([a, b, four, ints]);
  });
});
