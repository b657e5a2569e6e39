import { describe, expect, it } from 'vitest';
import { LegacyMersenneTwister, numpyShuffle } from './numpy-random.js';

// Expected values printed by NumPy 1.24 (`np.random.RandomState(seed)`), the generator Keras's index_directory uses.
describe('numpyShuffle (np.random.RandomState(seed).shuffle)', () => {
  it('matches NumPy for several seeds and sizes', () => {
    expect(numpyShuffle([...Array(10).keys()], 1337)).toEqual([6, 3, 0, 4, 5, 2, 1, 9, 8, 7]);
    expect(numpyShuffle([...Array(7).keys()], 0)).toEqual([6, 2, 1, 3, 0, 5, 4]);
    expect(numpyShuffle([...Array(100).keys()], 123456).slice(0, 12)).toEqual([
      22, 11, 59, 62, 33, 41, 97, 90, 77, 27, 99, 95,
    ]);
  });

  it('MT19937 outputs match the reference generator (seed 5489: 3499211612, 581869302, …)', () => {
    const rng = new LegacyMersenneTwister(5489);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
    expect(() => new LegacyMersenneTwister(-1)).toThrow(/seed must be an integer in \[0, 2\^32 - 1\], got -1/);
  });
});
