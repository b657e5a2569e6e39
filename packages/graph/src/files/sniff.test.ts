import { describe, expect, it } from 'vitest';
import { findHdf5Signature, sniffContainer } from './sniff.js';

const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffContainer', () => {
  it('recognises zip local headers and empty zips', () => {
    expect(sniffContainer(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('zip');
    expect(sniffContainer(new Uint8Array([0x50, 0x4b, 0x05, 0x06, 0]))).toBe('zip');
  });
  it('finds the HDF5 signature at 0 and at 512, 1024, 2048 (user block), not elsewhere', () => {
    for (const offset of [0, 512, 1024, 2048]) {
      const bytes = new Uint8Array(4096);
      bytes.set(HDF5, offset);
      expect(findHdf5Signature(bytes)).toBe(offset);
      expect(sniffContainer(bytes)).toBe('hdf5');
    }
    const misplaced = new Uint8Array(4096);
    misplaced.set(HDF5, 700);
    expect(findHdf5Signature(misplaced)).toBe(-1);
    expect(sniffContainer(misplaced)).toBe('unknown');
  });
  it('recognises JSON objects after a BOM or whitespace, and empty input', () => {
    expect(sniffContainer(new TextEncoder().encode('\ufeff  {"a":1}'))).toBe('json');
    expect(sniffContainer(new TextEncoder().encode('\n\t{'))).toBe('json');
    expect(sniffContainer(new Uint8Array())).toBe('empty');
    expect(sniffContainer(new TextEncoder().encode('   '))).toBe('empty');
    expect(sniffContainer(new TextEncoder().encode('[1,2]'))).toBe('unknown');
  });
});
