/**
 * The per-element update rules of the fused optimizer kernels (optimizer-updates.ts), written to
 * give the SAME float32 numbers as the optimizers' op-by-op TF.js path: every intermediate is
 * rounded to float32 (`Math.fround`) in the order the composed ops compute it, and every scalar
 * coefficient is rounded as TF.js rounds a number it turns into a float32 scalar tensor. Float32
 * `+ − × ÷ √` are correctly rounded on the wasm and cpu backends, and so is `fround` of the
 * double result (a double holds the exact product of two float32s; ÷ and √ survive the double
 * rounding), so the fused and the composed updates agree bit for bit.
 *
 * Each function reads the inputs and writes the outputs at every index `i < n`; an output array
 * may not alias an input array.
 */
const f = Math.fround;

/** Adam's slot and weight arrays: `m`, `v` and (amsgrad) `vHat`, read and written. */
export interface AdamArrays {
  w: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  vHat: Float32Array | null;
  wOut: Float32Array;
  mOut: Float32Array;
  vOut: Float32Array;
  vHatOut: Float32Array | null;
}

/**
 * Adam (adam.ts): `m += (g − m)(1 − β₁)`, `v += (g² − v)(1 − β₂)`, amsgrad `v̂ = max(v̂, v)`,
 * `w −= α·m / (√v + ε)` with the bias-corrected step `alpha`.
 */
export function adamUpdate(
  a: AdamArrays,
  n: number,
  alpha: number,
  beta1: number,
  beta2: number,
  epsilon: number,
): void {
  const { w, g, m, v, vHat, wOut, mOut, vOut, vHatOut } = a;
  const c1 = f(1 - beta1);
  const c2 = f(1 - beta2);
  const step = f(alpha);
  const eps = f(epsilon);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = m[i]!;
    const vi = v[i]!;
    const mNew = f(mi + f(f(gi - mi) * c1));
    const vNew = f(vi + f(f(f(gi * gi) - vi) * c2));
    mOut[i] = mNew;
    vOut[i] = vNew;
    let second = vNew;
    if (vHat !== null) {
      second = Math.max(vHat[i]!, vNew);
      vHatOut![i] = second;
    }
    wOut[i] = f(w[i]! - f(f(mNew * step) / f(f(Math.sqrt(second)) + eps)));
  }
}

/** RMSprop's arrays: velocity, then momentum and average gradient when configured. */
export interface RMSpropArrays {
  w: Float32Array;
  g: Float32Array;
  velocity: Float32Array;
  momentum: Float32Array | null;
  averageGrad: Float32Array | null;
  wOut: Float32Array;
  velocityOut: Float32Array;
  momentumOut: Float32Array | null;
  averageGradOut: Float32Array | null;
}

/**
 * RMSprop (rmsprop.ts): `v = ρv + (1−ρ)g²`; centered `a = ρa + (1−ρ)g`, denominator `v − a² + ε`,
 * else `v + ε`; `inc = lr·g / √denominator`; momentum `m = μm + inc; w −= m`, else `w −= inc`.
 */
export function rmspropUpdate(
  a: RMSpropArrays,
  n: number,
  learningRate: number,
  rho: number,
  momentum: number,
  epsilon: number,
): void {
  const { w, g, velocity, momentum: mom, averageGrad, wOut, velocityOut, momentumOut, averageGradOut } = a;
  const r = f(rho);
  const c = f(1 - rho);
  const lr = f(learningRate);
  const mu = f(momentum);
  const eps = f(epsilon);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const vNew = f(f(r * velocity[i]!) + f(c * f(gi * gi)));
    velocityOut[i] = vNew;
    let denominator: number;
    if (averageGrad !== null) {
      const aNew = f(f(r * averageGrad[i]!) + f(c * gi));
      averageGradOut![i] = aNew;
      denominator = f(f(vNew - f(aNew * aNew)) + eps);
    } else {
      denominator = f(vNew + eps);
    }
    const increment = f(f(lr * gi) / f(Math.sqrt(denominator)));
    if (mom !== null) {
      const mNew = f(f(mu * mom[i]!) + increment);
      momentumOut![i] = mNew;
      wOut[i] = f(w[i]! - mNew);
    } else {
      wOut[i] = f(w[i]! - increment);
    }
  }
}

/** SGD's arrays: the momentum slot when momentum is not 0. */
export interface SGDArrays {
  w: Float32Array;
  g: Float32Array;
  momentum: Float32Array | null;
  wOut: Float32Array;
  momentumOut: Float32Array | null;
}

/**
 * SGD (sgd.ts): `w −= lr·g`; with momentum `m = μm − lr·g` then `w += m`, or (Nesterov)
 * `w += μm − lr·g` with the new `m`.
 */
export function sgdUpdate(a: SGDArrays, n: number, learningRate: number, momentum: number, nesterov: boolean): void {
  const { w, g, momentum: mom, wOut, momentumOut } = a;
  const lr = f(learningRate);
  const mu = f(momentum);
  for (let i = 0; i < n; i++) {
    const scaled = f(g[i]! * lr);
    if (mom === null) {
      wOut[i] = f(w[i]! - scaled);
      continue;
    }
    const mNew = f(f(mom[i]! * mu) - scaled);
    momentumOut![i] = mNew;
    wOut[i] = nesterov ? f(w[i]! + f(f(mNew * mu) - scaled)) : f(w[i]! + mNew);
  }
}

/** Adagrad's arrays: the accumulator. */
export interface AdagradArrays {
  w: Float32Array;
  g: Float32Array;
  accumulator: Float32Array;
  wOut: Float32Array;
  accumulatorOut: Float32Array;
}

/** Adagrad (adagrad.ts): `acc += g²; w −= lr·g / √(acc + ε)`. */
export function adagradUpdate(a: AdagradArrays, n: number, learningRate: number, epsilon: number): void {
  const { w, g, accumulator, wOut, accumulatorOut } = a;
  const lr = f(learningRate);
  const eps = f(epsilon);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const acc = f(accumulator[i]! + f(gi * gi));
    accumulatorOut[i] = acc;
    wOut[i] = f(w[i]! - f(f(lr * gi) / f(Math.sqrt(f(acc + eps)))));
  }
}
