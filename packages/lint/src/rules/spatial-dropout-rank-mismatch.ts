import type { Rule } from '../types.js';
import { spatialDropoutRank } from '../layer-kinds.js';
import { inputRank } from '../rank.js';
import { describe, viewOf } from '../rule-util.js';

/** SpatialDropoutND on a tensor of the wrong rank. */
export const spatialDropoutRankMismatch: Rule = {
  id: 'spatial-dropout-rank-mismatch',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary: 'SpatialDropout1D/2D/3D receives a tensor that is not 3-D/4-D/5-D (e.g. after Flatten or Dense).',
    why: 'The Keras SpatialDropout docs give the input shape as a 3D (1D), 4D (2D) or 5D (3D) tensor; Keras fails when building such a model, the linter reports it earlier with the layer name.',
    howToFix:
      'Use the SpatialDropout variant matching the input rank (SpatialDropout1D for sequences), or a plain Dropout after Flatten/Dense.',
    falsePositives: 'None when the rank is known; the rule stays silent when the input rank cannot be told.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      const n = spatialDropoutRank(layer);
      if (n === undefined) continue;
      const rank = inputRank(view, context.shapes, layer);
      if (rank === undefined || rank === n + 2) continue;
      const matching = rank >= 3 && rank <= 5 ? `SpatialDropout${rank - 2}D` : 'Dropout';
      context.report({
        layer,
        message: `${describe(layer)} needs a ${n + 2}-D input but receives a ${rank}-D tensor.`,
        hint: `Use ${matching} here.`,
      });
    }
  },
};
