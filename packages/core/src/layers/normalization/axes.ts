/**
 * Axis arguments of the normalization layers: validation and resolution against an input shape.
 */
import type { Shape } from '@strata/graph';
import { formatShape } from '../../engine/shape-utils.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';

/** A single integer axis; a one-element list (as some Keras 2 files store it) is accepted. */
export function singleAxis(value: number | readonly number[], where: string): number {
  const axis = Array.isArray(value) && value.length === 1 ? (value[0] as number) : value;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ConfigurationError(`${where}: \`axis\` must be a single integer, got ${JSON.stringify(value)}`);
  }
  return axis;
}

/** An integer axis or a list of them. */
export function axisList(value: number | readonly number[], where: string): number[] {
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? [...(value as number[])] : null;
  if (list === null || list.length === 0 || !list.every((a) => Number.isInteger(a))) {
    throw new ConfigurationError(
      `${where}: \`axis\` must be an integer or a non-empty list of integers, got ${JSON.stringify(value)}`,
    );
  }
  return list;
}

/** `axis` as a non-negative index into `shape`; the batch axis and out-of-range axes are errors. */
export function resolveAxis(axis: number, shape: Shape, where: string): number {
  const rank = shape.length;
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) {
    throw new InputShapeError(
      `${where}: axis ${axis} is out of range for input shape ${formatShape(shape)} (valid: ${-rank} to ${rank - 1})`,
    );
  }
  if (resolved === 0) {
    throw new InputShapeError(
      `${where}: cannot normalize over the batch axis (axis ${axis}) of input shape ${formatShape(shape)}`,
    );
  }
  return resolved;
}
