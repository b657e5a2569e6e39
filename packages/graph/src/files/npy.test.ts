/**
 * The NumPy `.npy` reader, checked on bytes written by real `numpy.save`
 * (numpy 1.24, base64 below) and on malformed files.
 */
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from './npy.js';

const b64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

// np.save(np.array([[1.5, -2.25, 3], [4, 5, 6e-8]], dtype='<f4'))
const FLOAT_2x3 =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEAAAIBAAACgQFnZgDM=';
// np.save(np.array([[[7, -1]], [[0, 2147483647]]], dtype='<i4'))
const INT_2x1x2 =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHAAAA/////wAAAAD///9/';
// np.save(np.array(3.5, dtype='<f4')) — a 0-d array
const SCALAR =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA';
// np.save(np.zeros((0, 3), dtype='<f4'))
const EMPTY =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=';
// np.save(np.array([1, 2], dtype='<f8'))
const FLOAT64 =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABA';
// np.save(np.asfortranarray(np.ones((2, 3), dtype='<f4')))
const FORTRAN =
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AACAPwAAgD8AAIA/AACAPwAAgD8=';

describe('parseNpy (NumPy .npy v1.0)', () => {
  it('reads float32 in C order', () => {
    const a = parseNpy(b64(FLOAT_2x3));
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([1.5, -2.25, 3, 4, 5, Math.fround(6e-8)]);
  });

  it('reads int32, negative and extreme values included', () => {
    const a = parseNpy(b64(INT_2x1x2));
    expect(a.dtype).toBe('int32');
    expect(a.shape).toEqual([2, 1, 2]);
    expect(Array.from(a.data)).toEqual([7, -1, 0, 2147483647]);
  });

  it('reads 0-d and empty arrays', () => {
    expect(parseNpy(b64(SCALAR))).toMatchObject({ shape: [], data: Float32Array.of(3.5) });
    const empty = parseNpy(b64(EMPTY));
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.data.length).toBe(0);
  });

  it('reads data that starts at an unaligned offset of the underlying buffer', () => {
    const bytes = b64(FLOAT_2x3);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    expect(Array.from(parseNpy(padded.subarray(1)).data)).toEqual(Array.from(parseNpy(bytes).data));
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => parseNpy(b64(FLOAT64), 'w.npy')).toThrow(/w\.npy: dtype '<f8' is not supported/);
    expect(() => parseNpy(b64(FORTRAN), 'f.npy')).toThrow(/f\.npy: Fortran-order/);
    expect(() => parseNpy(new TextEncoder().encode('PK not numpy'), 'z.npy')).toThrow(/z\.npy: not a \.npy file/);
    const truncated = b64(FLOAT_2x3).subarray(0, 130);
    expect(() => parseNpy(truncated, 't.npy')).toThrow(/t\.npy: shape \(2, 3\) needs 24 data bytes, the file has 2/);
    const v3 = b64(FLOAT_2x3);
    v3[6] = 3;
    expect(() => parseNpy(v3, 'v.npy')).toThrow(/format version 3\.0, expected 1\.0 or 2\.0/);
  });

  it('reads format 2.0 files and bool arrays', () => {
    // np.lib.format.write_array(f, np.array([1.5, -2], '<f4'), version=(2, 0))
    const v2 = parseNpy(
      b64(
        'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwA==',
      ),
    );
    expect(v2).toEqual({ dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -2) });
    // np.lib.format.write_array(f, np.array([[True, False], [False, True]]), version=(2, 0))
    const bools = parseNpy(
      b64(
        'k05VTVBZAgB0AAAAeydkZXNjcic6ICd8YjEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAB',
      ),
    );
    expect(bools.dtype).toBe('bool');
    expect(bools.shape).toEqual([2, 2]);
    expect(Array.from(bools.data)).toEqual([1, 0, 0, 1]);
  });
});

describe('encodeNpy', () => {
  it('writes the same bytes as numpy.save', () => {
    for (const text of [FLOAT_2x3, INT_2x1x2, SCALAR, EMPTY]) {
      const bytes = b64(text);
      expect(Buffer.from(encodeNpy(parseNpy(bytes))).toString('base64')).toBe(text);
    }
  });

  it('round-trips bool arrays and refuses a data length that does not match the shape', () => {
    const bools = { dtype: 'bool' as const, shape: [3], data: new Uint8Array([1, 0, 1]) };
    expect(Array.from(parseNpy(encodeNpy(bools)).data)).toEqual([1, 0, 1]);
    expect(() => encodeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array(3) })).toThrow(
      /holds 4 values, the data has 3/,
    );
  });
});
