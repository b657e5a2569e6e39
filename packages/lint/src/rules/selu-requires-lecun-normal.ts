import type { Rule } from '../types.js';
import { activationName, isWeightLayer } from '../layer-kinds.js';
import { describe, viewOf } from '../rule-util.js';

function initializerName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v['class_name'] === 'string') {
      const config = v['config'] as Record<string, unknown> | undefined;
      // VarianceScaling(scale=1, mode=fan_in, distribution=truncated_normal) is LeCun normal.
      if (
        v['class_name'] === 'VarianceScaling' &&
        config &&
        config['scale'] === 1 &&
        config['mode'] === 'fan_in' &&
        String(config['distribution']).includes('normal')
      ) {
        return 'lecun_normal';
      }
      return v['class_name'];
    }
  }
  return undefined;
}

/** SELU layers without LeCun-normal initialisation. */
export const seluRequiresLecunNormal: Rule = {
  id: 'selu-requires-lecun-normal',
  category: 'style',
  recommended: 'off',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary: 'A layer with activation selu whose kernel_initializer is not LeCun normal.',
    why: 'Self-normalisation assumes weights with variance 1/fan_in (Klambauer et al., NeurIPS 2017); the Keras selu docs say to use it together with the LecunNormal initializer.',
    howToFix: "Set kernel_initializer='lecun_normal'.",
    falsePositives: 'Models fine-tuned from other weights (the initializer no longer matters).',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isWeightLayer(layer) || activationName(layer.config['activation']) !== 'selu') continue;
      const init = initializerName(layer.config['kernel_initializer']);
      if (init === undefined || /^lecun_?normal$/i.test(init)) continue;
      context.report({
        layer,
        message: `${describe(layer)} uses selu with kernel_initializer ${init}; self-normalisation assumes LeCun normal.`,
        hint: `Set kernel_initializer='lecun_normal' on '${layer.name}'.`,
      });
    }
  },
};
