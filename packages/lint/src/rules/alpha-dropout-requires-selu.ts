import type { Rule } from '../types.js';
import { describe, nearestActivations, viewOf } from '../rule-util.js';

/** AlphaDropout outside a SELU network. */
export const alphaDropoutRequiresSelu: Rule = {
  id: 'alpha-dropout-requires-selu',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: {},
  docs: {
    summary: 'AlphaDropout whose nearest upstream activation is not selu.',
    why: 'AlphaDropout keeps mean and variance of self-normalising activations by setting dropped units to the negative saturation value of SELU (Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017; Keras AlphaDropout docs); after other activations it shifts the distribution instead.',
    howToFix: 'Use plain Dropout after non-SELU activations, or make the preceding layer use activation="selu".',
    falsePositives: 'AlphaDropout on raw, standardised inputs of an SNN is not flagged (no activation upstream).',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'AlphaDropout') continue;
      const wrong = nearestActivations(view, layer, 'up').find(
        (h) => h.activation !== undefined && h.activation !== 'selu',
      );
      if (!wrong) continue;
      context.report({
        layer,
        message: `${describe(layer)} follows ${wrong.activation} activations of ${describe(wrong.layer)}; AlphaDropout is designed for selu.`,
        hint: `Use Dropout here, or activation='selu' on '${wrong.layer.name}'.`,
      });
    }
  },
};
