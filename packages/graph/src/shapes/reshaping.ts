/** Shape rules for reshaping layers (Keras `layers/reshaping`). */
import {
  axesDescription,
  configInt,
  configIntList,
  configIntTuple,
  expectRank,
  joinChannels,
  shapeError,
  singleInput,
  spatialNames,
  splitChannels,
  type LayerCall,
  type ShapeRule,
} from './call.js';
import { formatShape } from './errors.js';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Keras 3 `Flatten`: `(batch, prod(rest))`, unknown if any dim is; a rank-1 input gives `(batch, 1)`. */
const flatten: ShapeRule = (call) => {
  const input = singleInput(call);
  const rest = input.slice(1);
  const size = rest.some((dim) => dim === null) ? null : product(rest as number[]);
  return [[input[0] ?? null, size]];
};

/** `Reshape`: one `-1` is solved from the input size when that is known. */
const reshape: ShapeRule = (call) => {
  const input = singleInput(call);
  const target = configIntList(call, 'target_shape');
  const unknownCount = target.filter((dim) => dim === -1).length;
  if (unknownCount > 1 || target.some((dim) => dim < -1 || dim === 0)) {
    throw shapeError(
      call,
      `invalid target_shape ${JSON.stringify(target)}: expected positive sizes and at most one -1`,
    );
  }
  const rest = input.slice(1);
  const batch = input[0] ?? null;
  if (rest.some((dim) => dim === null)) return [[batch, ...target.map((dim) => (dim === -1 ? null : dim))]];
  const size = product(rest as number[]);
  const known = product(target.filter((dim) => dim !== -1));
  const fits = unknownCount === 0 ? known === size : size % known === 0;
  if (!fits) {
    throw shapeError(
      call,
      `cannot reshape input of shape ${formatShape(input)} (${size} values per sample) to target_shape ${JSON.stringify(target)}`,
    );
  }
  return [[batch, ...target.map((dim) => (dim === -1 ? size / known : dim))]];
};

/** `Permute`: `dims` is a 1-based permutation of the non-batch axes. */
const permute: ShapeRule = (call) => {
  const input = singleInput(call);
  const dims = configIntList(call, 'dims');
  const sorted = [...dims].sort((a, b) => a - b);
  if (dims.length !== input.length - 1 || sorted.some((dim, i) => dim !== i + 1)) {
    throw shapeError(
      call,
      `dims ${JSON.stringify(dims)} must be a permutation of 1..${input.length - 1} for input shape ${formatShape(input)}`,
    );
  }
  return [[input[0] ?? null, ...dims.map((dim) => input[dim] ?? null)]];
};

const repeatVector: ShapeRule = (call) => {
  const input = singleInput(call);
  expectRank(call, input, 2, '(batch, features)');
  return [[input[0] ?? null, configInt(call, 'n'), input[1] ?? null]];
};

/**
 * Reads `padding` / `cropping`: an int (same on every side), one int per spatial dim
 * (same on both sides), or one `[before, after]` pair per dim; 1D also takes `[left, right]`.
 */
function sidePairs(call: LayerCall, key: string, rank: number, fallback: number): [number, number][] {
  const value = call.config[key] ?? fallback;
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (isInt(value)) return Array.from({ length: rank }, () => [value, value]);
  if (Array.isArray(value)) {
    if (rank === 1 && value.length === 2 && value.every(isInt)) return [[value[0], value[1]]];
    if (value.length === rank && value.every(isInt)) return value.map((v) => [v, v]);
    if (value.length === rank && value.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt))) {
      return value.map((p) => [(p as number[])[0] as number, (p as number[])[1] as number]);
    }
  }
  throw shapeError(
    call,
    `invalid config "${key}": expected an int, ${rank} ints or ${rank} [before, after] pairs, got ${JSON.stringify(value)}`,
  );
}

function describeAxes(call: LayerCall, rank: number): string {
  return axesDescription(call, spatialNames(rank));
}

function zeroPaddingRule(rank: number): ShapeRule {
  return (call) => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, describeAxes(call, rank));
    const pads = sidePairs(call, 'padding', rank, 1);
    const { batch, spatial, channels } = splitChannels(call, input);
    const out = spatial.map((dim, i) =>
      dim === null ? null : dim + (pads[i] as [number, number])[0] + (pads[i] as [number, number])[1],
    );
    return [joinChannels(call, batch, out, channels)];
  };
}

function croppingRule(rank: number): ShapeRule {
  return (call) => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, describeAxes(call, rank));
    const crops = sidePairs(call, 'cropping', rank, rank === 2 ? 0 : 1);
    const { batch, spatial, channels } = splitChannels(call, input);
    const out = spatial.map((dim, i) => {
      const [before, after] = crops[i] as [number, number];
      if (dim !== null && before + after >= dim) {
        throw shapeError(
          call,
          `cropping ${JSON.stringify(crops)} removes all of dimension ${dim} of input shape ${formatShape(input)}`,
        );
      }
      return dim === null ? null : dim - before - after;
    });
    return [joinChannels(call, batch, out, channels)];
  };
}

function upSamplingRule(rank: number): ShapeRule {
  return (call) => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, describeAxes(call, rank));
    const size = rank === 1 ? [configInt(call, 'size', 2)] : configIntTuple(call, 'size', rank, Array(rank).fill(2));
    const { batch, spatial, channels } = splitChannels(call, input);
    return [
      joinChannels(
        call,
        batch,
        spatial.map((dim, i) => (dim === null ? null : dim * (size[i] as number))),
        channels,
      ),
    ];
  };
}

export const reshapingRules: Record<string, ShapeRule> = {
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  ZeroPadding1D: zeroPaddingRule(1),
  ZeroPadding2D: zeroPaddingRule(2),
  ZeroPadding3D: zeroPaddingRule(3),
  Cropping1D: croppingRule(1),
  Cropping2D: croppingRule(2),
  Cropping3D: croppingRule(3),
  UpSampling1D: upSamplingRule(1),
  UpSampling2D: upSamplingRule(2),
  UpSampling3D: upSamplingRule(3),
};
