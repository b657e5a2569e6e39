/**
 * Shape and dtype rules of `keras.ops` calls in functional configs. Every expectation is what
 * real Keras 3.15.1 gives for the same call on symbolic inputs (`tuple(t.shape), t.dtype`).
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue, Shape } from '../ir.js';
import { inferOpOutputDtype, inferOpOutputShape, isKerasOpEntry, opOperandsOf, type OpOperand } from './keras-ops.js';

const x = { tensor: { shape: [null, 4, 6], dtype: 'float32' } };
const y = { tensor: { shape: [null, 4, 6], dtype: 'float32' } };
const v = { tensor: { shape: [null, 6], dtype: 'float32' } };
const i = { tensor: { shape: [null, 5], dtype: 'int32' } };
const t = (shape: Shape, dtype = 'float32'): OpOperand => ({ tensor: { shape, dtype } });

const CASES: [string, string, JsonObject, OpOperand[], Shape, string][] = [
  ['add(x, 2.0)', 'Add', {}, [x, 2.0], [null, 4, 6], 'float32'],
  ['subtract(1.0, v)', 'Subtract', {}, [1.0, v], [null, 6], 'float32'],
  ['not_equal(int, 0)', 'NotEqual', {}, [i, 0], [null, 5], 'bool'],
  ['add(int, 2.0)', 'Add', {}, [i, 2.5], [null, 5], 'float32'],
  ['add(int, 2)', 'Add', {}, [i, 2], [null, 5], 'int32'],
  ['multiply(x, v) broadcasts', 'Multiply', {}, [x, v], [null, 4, 6], 'float32'],
  ['mean(axis=-1, keepdims)', 'Mean', { axis: -1, keepdims: true }, [x], [null, 4, 1], 'float32'],
  ['mean(axis=(1, 2))', 'Mean', { axis: [1, 2], keepdims: false }, [x], [null], 'float32'],
  ['mean of int', 'Mean', { axis: 1, keepdims: false }, [i], [null], 'float32'],
  ['max()', 'Max', { axis: null, keepdims: false, initial: null }, [x], [], 'float32'],
  ['reshape(-1, 2, 12)', 'Reshape', { newshape: [-1, 2, 12] }, [x], [null, 2, 12], 'float32'],
  ['transpose(0, 2, 1)', 'Transpose', { axes: [0, 2, 1] }, [x], [null, 6, 4], 'float32'],
  ['transpose()', 'Transpose', { axes: null }, [x], [6, 4, null], 'float32'],
  ['matmul', 'Matmul', {}, [x, t([null, 6, 4])], [null, 4, 4], 'float32'],
  ['matmul with a rank-2 operand', 'Matmul', {}, [x, v], [null, 4, 6], 'float32'],
  ['expand_dims(-1)', 'ExpandDims', { axis: -1 }, [x], [null, 4, 6, 1], 'float32'],
  ['squeeze(1)', 'Squeeze', { axis: 1 }, [t([null, 1, 4, 6])], [null, 4, 6], 'float32'],
  ['concatenate(axis=1)', 'Concatenate', { axis: 1 }, [[x, y]], [null, 8, 6], 'float32'],
  ['stack(axis=-1)', 'Stack', { axis: -1 }, [[x, y]], [null, 4, 6, 2], 'float32'],
  ['cast int32', 'Cast', { dtype: 'int32' }, [x], [null, 4, 6], 'int32'],
  [
    'convert_to_tensor(bool mask) keeps the dtype',
    'ConvertToTensor',
    { dtype: null, sparse: null, ragged: null },
    [t([null, 5], 'bool')],
    [null, 5],
    'bool',
  ],
  [
    'convert_to_tensor(x, dtype=int32)',
    'ConvertToTensor',
    { dtype: 'int32', sparse: null, ragged: null },
    [x],
    [null, 4, 6],
    'int32',
  ],
  ['where(cond, x, 0.0)', 'Where', {}, [t([null, 4, 6], 'bool'), x, 0.0], [null, 4, 6], 'float32'],
  ['power(x, 2)', 'Power', {}, [x, 2], [null, 4, 6], 'float32'],
  ['divide(int, 2)', 'Divide', {}, [i, 2], [null, 5], 'float32'],
  ['zeros_like(x) (Keras default dtype)', 'ZerosLike', { dtype: null }, [x], [null, 4, 6], 'float32'],
  ['zeros_like(x, dtype=bool) (Concatenate masks)', 'ZerosLike', { dtype: 'bool' }, [x], [null, 4, 6], 'bool'],
  ['any(axis=-1)', 'Any', { axis: -1, keepdims: false }, [x], [null, 4], 'bool'],
  ['all()', 'All', { axis: null, keepdims: false }, [x], [], 'bool'],
];

describe('keras.ops shape and dtype rules (as Keras 3.15.1)', () => {
  it.each(CASES)('%s', (_title, className, config, operands, shape, dtype) => {
    expect(inferOpOutputShape(className, { name: 'op', ...config }, operands, 'op')).toEqual(shape);
    expect(inferOpOutputDtype(className, config, operands)).toBe(dtype);
  });

  it('names the op, the shapes and the problem when operands do not fit', () => {
    expect(() => inferOpOutputShape('Add', {}, [x, t([null, 5])], 'add_3')).toThrow(
      /Layer "add_3" \(Add\): cannot broadcast shapes \[null, 4, 6\] and \[null, 5\]/,
    );
    expect(() => inferOpOutputShape('Reshape', { newshape: [3, 7] }, [t([2, 4, 6])], 'r')).toThrow(
      /cannot reshape \[2, 4, 6\] \(48 values\) to \[3,7\]/,
    );
    expect(() => inferOpOutputShape('Mean', { axis: 3 }, [x], 'm')).toThrow(/axis 3 is out of range for rank 3/);
    expect(() => inferOpOutputShape('Einsum', {}, [x], 'e')).toThrow(
      /"Einsum" is not a supported keras.ops class; supported: .*NotEqual/,
    );
  });

  it('fills the tensors of verbatim args in order, keeping constants', () => {
    const ref = (name: string): JsonValue => ({
      class_name: '__keras_tensor__',
      config: { keras_history: [name, 0, 0] },
    });
    const tensors = [
      { shape: [null, 3], dtype: 'int32' },
      { shape: [null, 3], dtype: 'float32' },
    ];
    expect(opOperandsOf([ref('a'), 0], false, tensors.slice(0, 1))).toEqual([{ tensor: tensors[0] }, 0]);
    expect(opOperandsOf([[ref('a'), ref('b')]], false, tensors)).toEqual([
      [{ tensor: tensors[0] }, { tensor: tensors[1] }],
    ]);
    expect(opOperandsOf(undefined, true, tensors)).toEqual([[{ tensor: tensors[0] }, { tensor: tensors[1] }]]);
  });

  it('tells op entries from layers of the same class name', () => {
    expect(isKerasOpEntry({ className: 'Add', module: 'keras.src.ops.numpy', config: { name: 'add' } })).toBe(true);
    expect(isKerasOpEntry({ className: 'Add', module: 'keras.layers', config: { name: 'add', trainable: true } })).toBe(
      false,
    );
    // Legacy .h5 configs have no module: a layer config always has `trainable`, an op config never.
    expect(isKerasOpEntry({ className: 'Concatenate', config: { name: 'concatenate', axis: -1 } })).toBe(true);
    expect(
      isKerasOpEntry({ className: 'Concatenate', config: { name: 'concatenate', axis: -1, trainable: true } }),
    ).toBe(false);
    expect(isKerasOpEntry({ className: 'NotEqual', config: { name: 'not_equal' } })).toBe(true);
    expect(isKerasOpEntry({ className: 'Dense', config: { name: 'dense' } })).toBe(false);
  });
});
