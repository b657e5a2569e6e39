import type { Rule } from '../types.js';
import { dropoutRate } from '../layer-kinds.js';
import { describe, formatRate, viewOf } from '../rule-util.js';

/** DropBlock2D rates outside the documented range. */
export const dropblockRateRange: Rule = {
  id: 'dropblock-rate-range',
  category: 'dropout',
  recommended: 'off',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: { min: 0.05, max: 0.25 },
  docs: {
    summary: 'DropBlock2D rate outside 0.05-0.25.',
    why: 'The keras_cv DropBlock2D docs recommend rates of 0.05-0.25; Ghiasi et al. (NeurIPS 2018) use a keep probability of 0.9 ramped over training.',
    howToFix: 'Use a rate between 0.05 and 0.25.',
    falsePositives: 'Schedules that change the rate during training (the config shows the start value).',
    options: { min: 'Lowest recommended rate (default 0.05).', max: 'Highest recommended rate (default 0.25).' },
  },
  check(context) {
    const view = viewOf(context.model);
    const min = typeof context.options['min'] === 'number' ? context.options['min'] : 0.05;
    const max = typeof context.options['max'] === 'number' ? context.options['max'] : 0.25;
    for (const layer of view.order) {
      if (layer.className !== 'DropBlock2D') continue;
      const rate = dropoutRate(layer);
      if (rate === undefined || rate <= 0 || rate >= 1 || (rate >= min && rate <= max)) continue;
      context.report({
        layer,
        message: `${describe(layer)} has rate ${formatRate(rate)}, outside the recommended ${formatRate(min)}-${formatRate(max)}.`,
        hint: `Use a rate between ${formatRate(min)} and ${formatRate(max)}.`,
      });
    }
  },
};
