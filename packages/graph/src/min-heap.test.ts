import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops items in ascending order, duplicates included', () => {
    const heap = new MinHeap();
    const values = [5, 3, 9, 1, 3, 7, 0, 8, 2, 6, 4, 1];
    for (const v of values) heap.push(v);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});
