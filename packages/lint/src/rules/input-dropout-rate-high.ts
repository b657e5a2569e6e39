import type { LayerIR } from '@strata/graph';
import type { Rule } from '../types.js';
import { dropoutRate, isDropoutLike, isInputPreprocessing } from '../layer-kinds.js';
import { walkThrough, type GraphView } from '../graph-util.js';
import { describe, formatRate, numberOption, viewOf } from '../rule-util.js';

/** Whether `layer` acts directly on a model input (optionally through Rescaling/Normalization). */
export function isInputDropout(view: GraphView, layer: LayerIR): boolean {
  const producers = view.producers(layer);
  if (producers.length === 0) return view.model.layers.indexOf(layer) === 0 || view.isInput(layer);
  const reached = walkThrough(view, layer, 'up', isInputPreprocessing);
  return (
    reached.length > 0 &&
    reached.every((r) => view.isInput(r.layer) && (isInputPreprocessing(r.layer) || r.layer.className === 'InputLayer'))
  );
}

/** High dropout on model inputs. */
export const inputDropoutRateHigh: Rule = {
  id: 'input-dropout-rate-high',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: { max: 0.2 },
  docs: {
    summary: 'A dropout-family layer on a model input with a rate above max (default 0.2).',
    why: 'Srivastava et al. (JMLR 2014, App. A) retain about 0.8 of real-valued input units, i.e. drop at most 0.2; more destroys the signal before any feature is learned.',
    howToFix: 'Lower the input dropout rate to 0.2 or less, or move the dropout to a hidden layer.',
    falsePositives: 'Denoising autoencoders (input corruption is the point) and word/feature dropout in NLP.',
    options: { max: 'Highest accepted input dropout rate (default 0.2).' },
  },
  check(context) {
    const view = viewOf(context.model);
    const max = numberOption(context.options, 'max', 0.2);
    for (const layer of view.order) {
      if (!isDropoutLike(layer) || !isInputDropout(view, layer)) continue;
      const rate = dropoutRate(layer);
      if (rate === undefined || rate >= 1 || rate <= max) continue;
      context.report({
        layer,
        message: `${describe(layer)} drops ${formatRate(rate * 100)}% of the model input (above ${formatRate(max)}).`,
        hint: `Use a rate of at most ${formatRate(max)} on inputs, or move the dropout to a hidden layer.`,
      });
    }
  },
};
