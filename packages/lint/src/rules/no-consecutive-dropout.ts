import type { LayerIR } from '@strata/graph';
import type { Fix, Rule } from '../types.js';
import { dropoutRate, isAlwaysActive, isDropoutLike, isPlainDropout, noiseShape } from '../layer-kinds.js';
import { findLayer, removePassThroughLayer } from '../ir-edit.js';
import { describe, formatRate, viewOf } from '../rule-util.js';
import { buildGraphView } from '../graph-util.js';

/** Keep probabilities multiply: 1 - (1-a)(1-b). */
export function combinedRate(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

function isMergeable(layer: LayerIR): boolean {
  const rate = dropoutRate(layer);
  return (
    isPlainDropout(layer) && !noiseShape(layer) && !isAlwaysActive(layer) && rate !== undefined && rate >= 0 && rate < 1
  );
}

function mergeFix(path: string[], first: LayerIR, second: LayerIR, rate: number): Fix {
  return {
    kind: 'safe',
    description: `merge '${second.name}' into '${first.name}' as one Dropout(${formatRate(rate)})`,
    apply(model) {
      const a = findLayer(model, path, first.name);
      const b = findLayer(model, path, second.name);
      if (!a || !b || !isMergeable(a.layer) || !isMergeable(b.layer)) return;
      // Re-check the edge: an earlier fix may have rewired the graph.
      const view = buildGraphView(a.model);
      if (view.producers(b.layer).length !== 1 || view.producers(b.layer)[0] !== a.layer) return;
      if (view.consumers(a.layer).length !== 1 || view.isOutput(a.layer)) return;
      const merged = combinedRate(dropoutRate(a.layer)!, dropoutRate(b.layer)!);
      if (!removePassThroughLayer(a.model, b.layer)) return;
      a.layer.config['rate'] = merged;
    },
  };
}

/** Two dropouts in a row. */
export const noConsecutiveDropout: Rule = {
  id: 'no-consecutive-dropout',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  fixable: 'safe',
  defaultOptions: {},
  docs: {
    summary: 'A dropout-family layer directly feeds another one.',
    why:
      'Two independent inverted dropouts with keep probabilities k1 and k2 equal one dropout with keep k1·k2 ' +
      '(product of independent Bernoulli masks, Srivastava et al., JMLR 2014; Keras Dropout docstring), so the ' +
      'effective rate is 1-(1-p1)(1-p2): 0.5 then 0.5 drops 75%, usually more than intended.',
    howToFix:
      'Keep one dropout with the intended rate. --fix merges two plain Dropouts without noise_shape into one ' +
      'Dropout with the combined rate (same distribution). Mixed kinds (spatial + plain) are reported only.',
    falsePositives:
      'Deliberately stacked noise of different kinds (e.g. GaussianNoise then Dropout) is not flagged; GaussianNoise is not in the family.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isDropoutLike(layer)) continue;
      const producers = view.producers(layer);
      const previous = producers.length === 1 ? producers[0]! : undefined;
      if (!previous || !isDropoutLike(previous)) continue;
      const a = dropoutRate(previous);
      const b = dropoutRate(layer);
      const both = a !== undefined && b !== undefined;
      const effective = both ? ` (effective rate ${formatRate(combinedRate(a, b))})` : '';
      const fixable =
        both &&
        isMergeable(previous) &&
        isMergeable(layer) &&
        view.consumers(previous).length === 1 &&
        !view.isOutput(previous);
      context.report({
        layer,
        message: `${describe(layer)} directly follows ${describe(previous)}${effective}.`,
        hint: both
          ? `Use a single dropout with rate ${formatRate(combinedRate(a, b))} (or the rate you intended).`
          : 'Keep a single dropout layer.',
        ...(fixable ? { fix: mergeFix(context.path, previous, layer, combinedRate(a, b)) } : {}),
      });
    }
  },
};
