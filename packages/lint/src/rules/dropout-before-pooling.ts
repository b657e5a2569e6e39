import type { Rule } from '../types.js';
import { isActivationLayer, isDropoutLike } from '../layer-kinds.js';
import { walkThrough } from '../graph-util.js';
import { describe, viewOf } from '../rule-util.js';

/** NeuraLint f018 parity: Dropout before max pooling. */
export const dropoutBeforePooling: Rule = {
  id: 'dropout-before-pooling',
  category: 'dropout',
  recommended: 'off',
  strict: 'off',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary: 'A dropout-family layer feeds MaxPooling (directly or through an activation).',
    why: 'NeuraLint (Nikanjam et al., TOSEM 2021) flags this pattern (f018) without a citation; Wu & Gu (arXiv 1512.00242) argue the opposite: max-pooling dropout equals multinomial sampling of activations and regularises. Shipped off, for parity only.',
    howToFix: 'Move the dropout after the pooling layer if you follow NeuraLint.',
    falsePositives: 'Deliberate max-pooling dropout (Wu & Gu 2015).',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isDropoutLike(layer)) continue;
      const pool = walkThrough(view, layer, 'down', isActivationLayer).find((r) =>
        /^MaxPool(ing)?[123]D$/.test(r.layer.className),
      );
      if (!pool) continue;
      context.report({
        layer,
        message: `${describe(layer)} feeds ${describe(pool.layer)}.`,
        hint: `Move '${layer.name}' after '${pool.layer.name}'.`,
      });
    }
  },
};
