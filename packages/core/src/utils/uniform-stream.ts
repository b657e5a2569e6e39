/**
 * The numbers `tf.randomUniform(shape, 0, 1, 'float32', seed)` draws, without TF.js: TF.js seeds
 * Baagøe's Alea generator with the seed's decimal string and rounds each draw to float32. Dropout
 * uses it to build its mask in one pass over a typed array, instead of four kernels (draw,
 * compare, cast, scale) each with its own tensor; the numbers, and so every mask, stay the same
 * (uniform-stream.test.ts compares the two streams).
 *
 * Alea is a serial chain (each draw needs the previous carry, ~6 ns a draw), so a large output is
 * cut into {@link LANES} chunks whose starting states are computed by jumping ahead (see
 * {@link jumpAlea}); one loop then advances the four independent chains side by side, which lets
 * the CPU overlap them (~2 ns a draw).
 */

/** Alea's multiplier. */
const A = 2091639;
const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
/** Chains advanced side by side; 4 measured fastest (2, 3, 6 and 8 were 2-30% slower). */
const LANES = 4;
/** Below this many draws the jump-ahead costs more than the overlap saves. */
const SERIAL_BELOW = 4096;
/**
 * Steps per call of the lane loop. Calling it in blocks, rather than once per output, lets V8
 * optimise the function itself: a single long call leaves it running on-stack-replacement code,
 * which measured twice as slow.
 */
const BLOCK = 2048;

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

/**
 * Alea's state as Alea keeps it: `s0` (oldest), `s1`, `s2` (newest, the last draw) are integers
 * below 2^32 divided by 2^32, and `c` is the integer carry, below 2091639.
 */
export interface AleaState {
  s0: number;
  s1: number;
  s2: number;
  c: number;
}

/** The state TF.js's Alea starts from for `seed` (the seed's decimal string, hashed). */
export function aleaSeedState(seed: number): AleaState {
  const key = seed.toString();
  const hash = { n: 0xefc8249d };
  const blank = [mash(hash, ' '), mash(hash, ' '), mash(hash, ' ')];
  const [s0, s1, s2] = blank.map((v) => {
    const s = v - mash(hash, key);
    return s < 0 ? s + 1 : s;
  }) as [number, number, number];
  return { s0, s1, s2, c: 1 };
}

// Jump-ahead. One Alea step, t = A·s0 + c·2^-32, c' = floor(t), s2' = t − c', is exact in doubles
// and is a lag-3 multiply-with-carry generator on 32-bit integers x = s·2^32 (b = 2^32):
// x' = (A·x_oldest + c) mod b, c' = floor((A·x_oldest + c) / b). Pack the state into one integer
// Z = A·(x0 + x1·b + x2·b²) + c (x0 the oldest); then b·Z' = Z + x'·(A·b³ − 1), so modulo
// m = A·b³ − 1 each step multiplies Z by b⁻¹ = A·b² (b·A·b² = m + 1). k steps multiply by
// (A·b²)^k mod m, and Z unpacks uniquely (0 ≤ c < A, 0 ≤ x < b).
const B = 1n << 32n;
const BIG_A = BigInt(A);
const MODULUS = BIG_A * B * B * B - 1n;
const STEP_MULTIPLIER = BIG_A * B * B;

function packState(state: AleaState): bigint {
  const x = (s: number): bigint => BigInt(s * TWO_POW_32);
  return BIG_A * (x(state.s0) | (x(state.s1) << 32n) | (x(state.s2) << 64n)) + BigInt(state.c);
}

function unpackState(z: bigint): AleaState {
  const c = Number(z % BIG_A);
  const x = z / BIG_A;
  const s = (v: bigint): number => Number(BigInt.asUintN(32, v)) / TWO_POW_32;
  return { s0: s(x), s1: s(x >> 32n), s2: s(x >> 64n), c };
}

/** The multiplier that advances a packed state by `steps` steps: (A·b²)^steps mod m. */
function stepsMultiplier(steps: number): bigint {
  let result = 1n;
  let base = STEP_MULTIPLIER;
  for (let e = BigInt(steps); e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % MODULUS;
    base = (base * base) % MODULUS;
  }
  return result;
}

/**
 * The state after `steps` draws from `state` (a non-negative integer count), computed by modular
 * exponentiation instead of drawing: exactly the state `steps` serial draws reach.
 */
export function jumpAlea(state: AleaState, steps: number): AleaState {
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new RangeError(`jumpAlea: steps must be a non-negative safe integer, got ${steps}`);
  }
  const z = packState(state);
  // Z ≡ 0 (mod m) are Alea's two fixed points (all zero, or all maximal); they never move.
  if (z % MODULUS === 0n) return { ...state };
  return unpackState((z * stepsMultiplier(steps)) % MODULUS);
}

/** What dropout keeps: a draw (rounded to float32) of at least `threshold` becomes `scale`, others 0. */
export interface KeepRule {
  threshold: number;
  scale: number;
}

/**
 * The smallest draw d (a multiple of 2^-32) with `Math.fround(d) >= threshold`, or 1 when none:
 * float32 rounding is monotone, so `d >= cut` is the same test on the raw draw, and then
 * `(d - cut + 1) | 0` is 1 for a kept draw and 0 otherwise, without a branch (d − cut + 1 lies in
 * (0, 2) and is exact). A mispredicted branch per draw cost more than the generator itself.
 */
function keepCut(threshold: number): number {
  let lo = 0;
  let hi = TWO_POW_32;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.fround(mid / TWO_POW_32) >= threshold) hi = mid;
    else lo = mid + 1;
  }
  return lo / TWO_POW_32;
}

/**
 * Draws for out[from..to) serially from the state at `lanes[at..at+4)` (s0, s1, s2, c): the raw
 * draw, or `values[kept]` under a keep rule. For short outputs and the last few draws only.
 */
function drawSerial(
  out: Float32Array,
  from: number,
  to: number,
  lanes: Float64Array,
  at: number,
  cut: number,
  values: Float32Array | null,
): void {
  let s0 = lanes[at]!,
    s1 = lanes[at + 1]!,
    s2 = lanes[at + 2]!,
    c = lanes[at + 3]!;
  const shift = 1 - cut;
  for (let i = from; i < to; i++) {
    const t = A * s0 + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    out[i] = values === null ? s2 : values[(s2 + shift) | 0]!;
  }
}

/**
 * Steps [from, to) of the four chains in `lanes` (4 numbers each), chain j writing its raw draws
 * at out[j·chunk + i]; the chains' states are stored back for the next block.
 */
function drawLanesRaw(out: Float32Array, lanes: Float64Array, chunk: number, from: number, to: number): void {
  let a0 = lanes[0]!,
    a1 = lanes[1]!,
    a2 = lanes[2]!,
    ac = lanes[3]!;
  let b0 = lanes[4]!,
    b1 = lanes[5]!,
    b2 = lanes[6]!,
    bc = lanes[7]!;
  let c0 = lanes[8]!,
    c1 = lanes[9]!,
    c2 = lanes[10]!,
    cc = lanes[11]!;
  let d0 = lanes[12]!,
    d1 = lanes[13]!,
    d2 = lanes[14]!,
    dc = lanes[15]!;
  for (let i = from; i < to; i++) {
    const ta = A * a0 + ac * TWO_POW_MINUS_32;
    const tb = A * b0 + bc * TWO_POW_MINUS_32;
    const tc = A * c0 + cc * TWO_POW_MINUS_32;
    const td = A * d0 + dc * TWO_POW_MINUS_32;
    a0 = a1;
    a1 = a2;
    ac = ta | 0;
    a2 = ta - ac;
    b0 = b1;
    b1 = b2;
    bc = tb | 0;
    b2 = tb - bc;
    c0 = c1;
    c1 = c2;
    cc = tc | 0;
    c2 = tc - cc;
    d0 = d1;
    d1 = d2;
    dc = td | 0;
    d2 = td - dc;
    out[i] = a2;
    out[chunk + i] = b2;
    out[2 * chunk + i] = c2;
    out[3 * chunk + i] = d2;
  }
  lanes.set([a0, a1, a2, ac, b0, b1, b2, bc, c0, c1, c2, cc, d0, d1, d2, dc]);
}

/** {@link drawLanesRaw} under a keep rule: writes `values[kept]` (see {@link keepCut}). */
function drawLanesKept(
  out: Float32Array,
  lanes: Float64Array,
  chunk: number,
  from: number,
  to: number,
  cut: number,
  values: Float32Array,
): void {
  let a0 = lanes[0]!,
    a1 = lanes[1]!,
    a2 = lanes[2]!,
    ac = lanes[3]!;
  let b0 = lanes[4]!,
    b1 = lanes[5]!,
    b2 = lanes[6]!,
    bc = lanes[7]!;
  let c0 = lanes[8]!,
    c1 = lanes[9]!,
    c2 = lanes[10]!,
    cc = lanes[11]!;
  let d0 = lanes[12]!,
    d1 = lanes[13]!,
    d2 = lanes[14]!,
    dc = lanes[15]!;
  const shift = 1 - cut;
  for (let i = from; i < to; i++) {
    const ta = A * a0 + ac * TWO_POW_MINUS_32;
    const tb = A * b0 + bc * TWO_POW_MINUS_32;
    const tc = A * c0 + cc * TWO_POW_MINUS_32;
    const td = A * d0 + dc * TWO_POW_MINUS_32;
    a0 = a1;
    a1 = a2;
    ac = ta | 0;
    a2 = ta - ac;
    b0 = b1;
    b1 = b2;
    bc = tb | 0;
    b2 = tb - bc;
    c0 = c1;
    c1 = c2;
    cc = tc | 0;
    c2 = tc - cc;
    d0 = d1;
    d1 = d2;
    dc = td | 0;
    d2 = td - dc;
    out[i] = values[(a2 + shift) | 0]!;
    out[chunk + i] = values[(b2 + shift) | 0]!;
    out[2 * chunk + i] = values[(c2 + shift) | 0]!;
    out[3 * chunk + i] = values[(d2 + shift) | 0]!;
  }
  lanes.set([a0, a1, a2, ac, b0, b1, b2, bc, c0, c1, c2, cc, d0, d1, d2, dc]);
}

/**
 * Jump multipliers by chunk length: a model's dropout layers fill the same few sizes every step.
 * Bounded, so a stream of distinct sizes cannot grow it without limit.
 */
const jumpMultipliers = new Map<number, bigint>();

function chunkMultiplier(chunk: number): bigint {
  let multiplier = jumpMultipliers.get(chunk);
  if (multiplier === undefined) {
    if (jumpMultipliers.size >= 32) jumpMultipliers.clear();
    multiplier = stepsMultiplier(chunk);
    jumpMultipliers.set(chunk, multiplier);
  }
  return multiplier;
}

/**
 * Fills `out` with the float32 draws of `tf.randomUniform([out.length], 0, 1, 'float32', seed)`,
 * or with `keep` applied to each draw, in one pass.
 */
export function fillUniform(out: Float32Array, seed: number, keep: KeepRule | null = null): void {
  const n = out.length;
  const start = aleaSeedState(seed);
  const cut = keep === null ? 0 : keepCut(keep.threshold);
  // Float32 values, as the store of `scale` into `out` would round it.
  const values = keep === null ? null : Float32Array.of(0, keep.scale);
  const lanes = new Float64Array(4 * LANES);
  if (n < SERIAL_BELOW) {
    lanes.set([start.s0, start.s1, start.s2, start.c]);
    drawSerial(out, 0, n, lanes, 0, cut, values);
    return;
  }
  // Chain j draws out[j·chunk, (j+1)·chunk); the last chain ends at draw LANES·chunk and goes on
  // serially for the n mod LANES draws left.
  const chunk = Math.floor(n / LANES);
  const multiplier = chunkMultiplier(chunk);
  let z = packState(start);
  for (let j = 0; j < LANES; j++) {
    const s = z % MODULUS === 0n ? start : unpackState(z);
    lanes.set([s.s0, s.s1, s.s2, s.c], 4 * j);
    z = (z * multiplier) % MODULUS;
  }
  for (let i = 0; i < chunk; i += BLOCK) {
    const to = Math.min(chunk, i + BLOCK);
    if (values === null) drawLanesRaw(out, lanes, chunk, i, to);
    else drawLanesKept(out, lanes, chunk, i, to, cut, values);
  }
  drawSerial(out, LANES * chunk, n, lanes, 4 * (LANES - 1), cut, values);
}
