/** Shape rules for regularization layers (Keras `layers/regularization`) and Strata's own. */
import type { Shape } from '../ir.js';
import {
  axesDescription,
  expectRank,
  shapeError,
  singleInput,
  spatialNames,
  type LayerCall,
  type ShapeRule,
} from './call.js';
import { sameShape } from './core.js';
import { formatShape } from './errors.js';

/** `Dropout`: shape-preserving; a given `noise_shape` must broadcast to the input. */
const dropout: ShapeRule = (call) => {
  const input = singleInput(call);
  const noise = call.config['noise_shape'];
  if (Array.isArray(noise)) {
    const fits =
      noise.length === input.length &&
      noise.every((dim, i) => dim === null || dim === 1 || input[i] === null || dim === input[i]);
    if (!fits) {
      throw shapeError(
        call,
        `noise_shape ${JSON.stringify(noise)} does not broadcast to input shape ${formatShape(input)}`,
      );
    }
  }
  return [input];
};

/** `SpatialDropoutND` takes inputs of rank N + 2 (Keras 3 `InputSpec(ndim=N+2)`). */
function spatialDropout(spatialRank: number): ShapeRule {
  return (call) => {
    const input = singleInput(call);
    expectRank(call, input, spatialRank + 2, axesDescription(call, spatialNames(spatialRank)));
    return [input];
  };
}

/** Strata `DropBlock2D`: drops blocks of a feature map, so it needs a rank-4 image batch. */
const dropBlock2D: ShapeRule = (call) => {
  const input = singleInput(call);
  expectRank(call, input, 4, '(batch, rows, cols, channels)');
  return [input];
};

/**
 * Strata `StochasticDepth`: shape-preserving. Called on `[shortcut, residual]` it adds the
 * two, so both must have the same shape.
 */
const stochasticDepth: ShapeRule = (call: LayerCall): Shape[] => {
  if (call.inputs.length === 2) {
    const [shortcut, residual] = call.inputs as [Shape, Shape];
    const same =
      shortcut.length === residual.length &&
      shortcut.every((d, i) => d === null || residual[i] === null || d === residual[i]);
    if (!same) {
      throw shapeError(
        call,
        `expected [shortcut, residual] of the same shape, got ${formatShape(shortcut)} and ${formatShape(residual)}`,
      );
    }
    return [shortcut];
  }
  return sameShape(call);
};

export const regularizationRules: Record<string, ShapeRule> = {
  Dropout: dropout,
  GaussianDropout: sameShape,
  GaussianNoise: sameShape,
  AlphaDropout: sameShape,
  ActivityRegularization: sameShape,
  SpatialDropout1D: spatialDropout(1),
  SpatialDropout2D: spatialDropout(2),
  SpatialDropout3D: spatialDropout(3),
  DropBlock2D: dropBlock2D,
  StochasticDepth: stochasticDepth,
  DropPath: stochasticDepth,
};
