/**
 * Shared handling of the initializer / regularizer / constraint options of layers with
 * weights: resolving "name, serialized object or instance" and writing Keras config values.
 */
import {
  getConstraint,
  serializeConstraint,
  type Constraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import { serializeInitializer, type Initializer } from '../initializers/index.js';
import {
  getRegularizer,
  serializeRegularizer,
  type Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import type { SerializedObject } from '../utils/serialization.js';
import { ConfigurationError } from '../utils/errors.js';

/** Resolves an optional regularizer option (`null`/`undefined` → none). */
export function resolveRegularizer(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  return identifier === null || identifier === undefined ? null : getRegularizer(identifier);
}

/** Resolves an optional constraint option (`null`/`undefined` → none). */
export function resolveConstraint(identifier: ConstraintIdentifier | null | undefined): Constraint | null {
  return identifier === null || identifier === undefined ? null : getConstraint(identifier);
}

/** Keras config value of an initializer. */
export function initializerConfig(initializer: Initializer): SerializedObject {
  return serializeInitializer(initializer);
}

/** Keras config value of an optional regularizer (`null` when absent). */
export function regularizerConfig(regularizer: Regularizer | null): SerializedObject | null {
  return regularizer === null ? null : serializeRegularizer(regularizer);
}

/** Keras config value of an optional constraint (`null` when absent). */
export function constraintConfig(constraint: Constraint | null): SerializedObject | null {
  return constraint === null ? null : serializeConstraint(constraint);
}

/**
 * Keras 3 quantized layers (`quantization_config` set, or a `QuantizedDTypePolicy` /
 * `QuantizedFloat8DTypePolicy` dtype) store integer weights with scales; Strata runs float
 * weights only, so such configs are refused clearly instead of loaded wrongly.
 */
export function rejectQuantization(
  args: { quantizationConfig?: unknown; dtype?: unknown },
  layerName: string,
  className: string,
): void {
  const policy = args.dtype;
  const policyClass =
    policy !== null && typeof policy === 'object' ? (policy as { className?: unknown }).className : undefined;
  const quantizedPolicy = typeof policyClass === 'string' && policyClass.startsWith('Quantized');
  const config = args.quantizationConfig;
  if ((config !== null && config !== undefined) || quantizedPolicy) {
    const what = quantizedPolicy
      ? `dtype policy ${String(policyClass)}`
      : `quantization_config ${JSON.stringify(config)}`;
    throw new ConfigurationError(
      `Layer "${layerName}" (${className}): quantized layers are not supported (${what}); ` +
        'save the model from Keras without quantization',
    );
  }
}
