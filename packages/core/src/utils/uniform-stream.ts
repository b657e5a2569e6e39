/**
 * The numbers `tf.randomUniform(shape, 0, 1, 'float32', seed)` draws, without TF.js: TF.js seeds
 * Baagøe's Alea generator with the seed's decimal string and rounds each draw to float32. Dropout
 * uses it to build its mask in one pass over a typed array, instead of four kernels (draw,
 * compare, cast, scale) each with its own tensor; the numbers, and so every mask, stay the same
 * (uniform-stream.test.ts compares the two streams).
 */

/** Alea's string hash: folds the characters of `data` into `state.n`, returns a float in [0, 1). */
function mash(state: { n: number }, data: string): number {
  let n = state.n;
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  state.n = n;
  return (n >>> 0) * 2.3283064365386963e-10;
}

/** What dropout keeps: a draw (rounded to float32) of at least `threshold` becomes `scale`, others 0. */
export interface KeepRule {
  threshold: number;
  scale: number;
}

/**
 * Fills `out` with the float32 draws of `tf.randomUniform([out.length], 0, 1, 'float32', seed)`,
 * or with `keep` applied to each draw (one pass: the generator is a serial chain, ~6 ns a draw).
 */
export function fillUniform(out: Float32Array, seed: number, keep: KeepRule | null = null): void {
  const key = seed.toString();
  const hash = { n: 0xefc8249d };
  const blank = [mash(hash, ' '), mash(hash, ' '), mash(hash, ' ')];
  let [s0, s1, s2] = blank.map((v) => {
    const s = v - mash(hash, key);
    return s < 0 ? s + 1 : s;
  }) as [number, number, number];
  let c = 1;
  const threshold = keep?.threshold ?? 0;
  const scale = keep?.scale ?? 0;
  for (let i = 0; i < out.length; i++) {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    out[i] = keep === null ? s2 : Math.fround(s2) >= threshold ? scale : 0;
  }
}
