import type { Rule } from '../types.js';
import { dropoutRate, isAlwaysActive, isDropoutLike } from '../layer-kinds.js';
import { describe, formatRate, numberOption, viewOf } from '../rule-util.js';
import { isInputDropout } from './input-dropout-rate-high.js';

/** High dropout rates on hidden units. */
export const dropoutRateHigh: Rule = {
  id: 'dropout-rate-high',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: { max: 0.5, warnAt: 0.8 },
  docs: {
    summary: 'A hidden-unit dropout rate above max (info) or at/above warnAt (the configured severity).',
    why:
      'Srivastava et al. (JMLR 2014, App. A) recommend retaining 0.5-0.8 of hidden units, i.e. a drop rate of at ' +
      'most 0.5; UMLAUT (Schoop et al., CHI 2021) flags Dropout rates above 0.5. Higher rates slow training and underfit.',
    howToFix: 'Lower the rate to 0.5 or less, or widen the layer (Srivastava et al. scale units with 1/p).',
    falsePositives:
      'Very wide layers (0.5+ on a 4096-unit layer is classic), denoising/bottleneck designs and MC-dropout ' +
      '(training=True, reported as info). Input dropouts are left to input-dropout-rate-high; DropBlock2D and ' +
      'StochasticDepth have their own ranges.',
    options: {
      max: 'Rates above this are reported as info (default 0.5).',
      warnAt: 'Rates at or above this are reported with the configured severity (default 0.8).',
    },
  },
  check(context) {
    const view = viewOf(context.model);
    const max = numberOption(context.options, 'max', 0.5);
    const warnAt = numberOption(context.options, 'warnAt', 0.8);
    for (const layer of view.order) {
      if (!isDropoutLike(layer) || layer.className === 'DropBlock2D') continue;
      const rate = dropoutRate(layer);
      if (rate === undefined || rate >= 1 || rate <= max || isInputDropout(view, layer)) continue;
      const band = rate >= warnAt && !isAlwaysActive(layer) ? undefined : ('info' as const);
      context.report({
        layer,
        message: `${describe(layer)} drops ${formatRate(rate * 100)}% of its inputs (above ${formatRate(max)}).`,
        hint: `Use a rate of at most ${formatRate(max)} for hidden units, or widen the layer.`,
        ...(band ? { severity: band } : {}),
      });
    }
  },
};
