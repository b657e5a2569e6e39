import type { Rule } from '../types.js';
import { isAttention, isBranchDrop, isDropoutLike, isRecurrent } from '../layer-kinds.js';
import { describe, viewOf } from '../rule-util.js';

/** Config keys holding a drop probability, per kind of layer. */
function rateKeys(isDropout: boolean, isBranch: boolean, isRnn: boolean, isAttentionLayer: boolean): string[] {
  if (isDropout || isBranch) return ['rate', 'p'];
  if (isRnn) return ['dropout', 'recurrent_dropout'];
  if (isAttentionLayer) return ['dropout'];
  return [];
}

/** Rates outside [0, 1). */
export const dropoutRateInvalid: Rule = {
  id: 'dropout-rate-invalid',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary:
      'A drop rate (Dropout-family rate, RNN dropout/recurrent_dropout, attention dropout) is not a number in [0, 1).',
    why:
      'Keras 3 Dropout raises ValueError unless 0 <= rate <= 1 (keras/src/layers/regularization/dropout.py); ' +
      'rate 1 passes that check but drops everything: AlphaDropout divides by zero at rate 1 ' +
      '((1 - rate) * ...) ** -0.5, and tf.nn.dropout requires a rate in [0, 1).',
    howToFix:
      'Use a rate in [0, 1): typically ≤ 0.5 for hidden units and ≤ 0.2 for inputs (Srivastava et al., JMLR 2014).',
    falsePositives: 'None: such a model cannot train or does not load.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      const keys = rateKeys(isDropoutLike(layer), isBranchDrop(layer), isRecurrent(layer), isAttention(layer));
      for (const key of keys) {
        const value = layer.config[key];
        if (value === undefined || value === null) continue;
        const valid = typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1;
        if (valid) continue;
        context.report({
          layer,
          message: `${describe(layer)} has ${key} ${JSON.stringify(value)}; expected a number in [0, 1).`,
          hint: `Set ${key} to a value in [0, 1), e.g. 0.5 for hidden units or 0.2 for inputs.`,
        });
      }
    }
  },
};
