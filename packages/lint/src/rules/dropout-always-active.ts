import type { Rule } from '../types.js';
import { isAlwaysActive, isBranchDrop, isTrainingNoise } from '../layer-kinds.js';
import { describe, viewOf } from '../rule-util.js';

/** Dropout kept on at inference (MC dropout). */
export const dropoutAlwaysActive: Rule = {
  id: 'dropout-always-active',
  category: 'dropout',
  recommended: 'info',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary:
      'A dropout-family layer (or GaussianNoise, StochasticDepth) called with training=True, or an MC-dropout class, stays active at inference.',
    why: 'Keeping dropout on at test time and averaging passes estimates uncertainty (Gal & Ghahramani, "Dropout as a Bayesian Approximation", ICML 2016), but it makes every prediction stochastic; if not intended it is a bug.',
    howToFix:
      'If intended, suppress with a reason (the finding documents it); otherwise remove training=True from the call.',
    falsePositives: 'Intentional MC dropout: that is what the suppression is for.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!(isTrainingNoise(layer) || isBranchDrop(layer)) || !isAlwaysActive(layer)) continue;
      const how = layer.nodes.some((n) => n.kwargs?.['training'] === true)
        ? 'is called with training=True'
        : 'is a Monte Carlo dropout class';
      context.report({
        layer,
        message: `${describe(layer)} ${how}: predictions are stochastic at inference.`,
        hint: 'If this is MC dropout on purpose, suppress this finding with a reason; otherwise drop training=True.',
      });
    }
  },
};
