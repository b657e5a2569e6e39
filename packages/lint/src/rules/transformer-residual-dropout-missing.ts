import type { LayerIR } from '@strata/graph';
import type { Rule } from '../types.js';
import { isDropoutLike } from '../layer-kinds.js';
import { walkThrough } from '../graph-util.js';
import { describe, viewOf } from '../rule-util.js';

/** Attention/FFN branch joins the residual Add without dropout while the model uses dropout elsewhere. */
export const transformerResidualDropoutMissing: Rule = {
  id: 'transformer-residual-dropout-missing',
  category: 'dropout',
  recommended: 'off',
  strict: 'off',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary:
      'A MultiHeadAttention output reaches a residual Add with no dropout, while the model uses dropout elsewhere.',
    why: 'Vaswani et al. (NeurIPS 2017, §5.4) apply "Residual Dropout" to the output of each sub-layer before it is added to the sub-layer input (P_drop = 0.1).',
    howToFix: 'Insert Dropout(0.1) between the attention output and the Add.',
    falsePositives: 'Many current models train with zero dropout on purpose; off by default.',
  },
  check(context) {
    const view = viewOf(context.model);
    if (!view.order.some(isDropoutLike)) return;
    const passThrough = (l: LayerIR): boolean =>
      !isDropoutLike(l) && l.className !== 'Add' && !l.model && l.className !== 'MultiHeadAttention';
    for (const layer of view.order) {
      if (layer.className !== 'MultiHeadAttention') continue;
      const add = walkThrough(
        view,
        layer,
        'down',
        (l) => passThrough(l) && (l.className === 'Identity' || l.className === 'Reshape'),
      ).find((r) => r.layer.className === 'Add');
      if (!add) continue;
      context.report({
        layer,
        message: `${describe(layer)} joins the residual ${describe(add.layer)} without dropout (residual dropout, Vaswani et al. 2017).`,
        hint: `Insert Dropout(0.1) between '${layer.name}' and '${add.layer.name}'.`,
      });
    }
  },
};
