/**
 * Keras's `InputSpec`: what a layer accepts as input, checked before every call so a wrong
 * rank or axis size fails naming the layer and both shapes, not deep inside a kernel.
 */
import type { Shape } from '@strata/graph';
import { InputShapeError } from '../utils/errors.js';
import { formatShape } from './shape-utils.js';

/** What a layer accepts as input (Keras `InputSpec`), checked before each call. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of axes (negative indices count from the end). */
  axes?: Record<number, number>;
}

/**
 * Checks input shapes against `spec`, naming the layer and both shapes on mismatch.
 *
 * @param where - the layer, as `Layer "name" (ClassName)`
 */
export function checkInputSpec(spec: InputSpec, shapes: readonly Shape[], where: string): void {
  for (const shape of shapes) {
    if (spec.ndim !== undefined && shape.length !== spec.ndim) {
      throw new InputShapeError(
        `${where}: expected input of rank ${spec.ndim}, got shape ${formatShape(shape)} (rank ${shape.length})`,
      );
    }
    if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
      throw new InputShapeError(`${where}: expected input of rank ≥ ${spec.minNdim}, got shape ${formatShape(shape)}`);
    }
    if (spec.maxNdim !== undefined && shape.length > spec.maxNdim) {
      throw new InputShapeError(`${where}: expected input of rank ≤ ${spec.maxNdim}, got shape ${formatShape(shape)}`);
    }
    for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(axisText);
      const actual = shape[axis < 0 ? shape.length + axis : axis];
      if (actual !== null && actual !== undefined && actual !== size) {
        throw new InputShapeError(
          `${where}: expected axis ${axis} of the input to have size ${size}, got shape ${formatShape(shape)}`,
        );
      }
    }
  }
}
