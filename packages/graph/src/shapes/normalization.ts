/** Shape rules for normalization layers (Keras `layers/normalization`). */
import type { Shape } from '../ir.js';
import { configAxes, configInt, resolveAxis, shapeError, singleInput, type LayerCall, type ShapeRule } from './call.js';
import { formatShape } from './errors.js';

/**
 * Normalization layers keep the shape; the normalized axes must exist and, where the
 * layer holds per-feature weights, have a known size.
 */
function normalizationRule(requireKnownSize: boolean): ShapeRule {
  return (call: LayerCall): Shape[] => {
    const input = singleInput(call);
    for (const axis of configAxes(call, 'axis', -1)) {
      const resolved = resolveAxis(call, axis, input);
      if (resolved === 0)
        throw shapeError(
          call,
          `cannot normalize over the batch axis (axis ${axis}) of input shape ${formatShape(input)}`,
        );
      if (requireKnownSize && input[resolved] === null) {
        throw shapeError(call, `expected a known size on axis ${axis}, got shape ${formatShape(input)}`);
      }
    }
    return [input];
  };
}

/** GroupNormalization: the channel axis must split into `groups` equal groups. */
const groupNormalization: ShapeRule = (call) => {
  const [input] = normalizationRule(false)(call);
  const axis = resolveAxis(call, configAxes(call, 'axis', -1)[0]!, input!);
  const groups = configInt(call, 'groups', 32);
  const channels = input![axis];
  if (channels !== null && channels !== undefined && (groups > channels || channels % groups !== 0)) {
    throw shapeError(
      call,
      `expected the size of axis ${axis} to be a multiple of groups=${groups}, got shape ${formatShape(input!)}`,
    );
  }
  return [input!];
};

export const normalizationRules: Record<string, ShapeRule> = {
  BatchNormalization: normalizationRule(true),
  LayerNormalization: normalizationRule(true),
  RMSNormalization: normalizationRule(true),
  UnitNormalization: normalizationRule(false),
  GroupNormalization: groupNormalization,
};
