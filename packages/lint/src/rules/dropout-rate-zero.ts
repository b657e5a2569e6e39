import type { LayerIR } from '@strata/graph';
import type { Fix, Rule } from '../types.js';
import { dropoutRate, isDropoutLike } from '../layer-kinds.js';
import { findLayer, removePassThroughLayer } from '../ir-edit.js';
import { describe, viewOf } from '../rule-util.js';

function removeFix(path: string[], layer: LayerIR): Fix {
  return {
    kind: 'safe',
    description: `remove '${layer.name}' (rate 0) and connect its consumers to its input`,
    apply(model) {
      const found = findLayer(model, path, layer.name);
      if (!found || dropoutRate(found.layer) !== 0) return;
      removePassThroughLayer(found.model, found.layer);
    },
  };
}

/** Dropout with rate 0 (a no-op). */
export const dropoutRateZero: Rule = {
  id: 'dropout-rate-zero',
  category: 'style',
  recommended: 'info',
  strict: 'info',
  defaultSeverity: 'info',
  fixable: 'safe',
  defaultOptions: {},
  docs: {
    summary: 'A dropout-family layer with rate 0 does nothing.',
    why: 'Keras 3 Dropout.call returns its inputs unchanged when rate == 0 (keras/src/layers/regularization/dropout.py); such layers are usually leftovers of hyper-parameter sweeps.',
    howToFix: 'Remove the layer (--fix does, rewiring its consumers to its input) or set the rate you meant.',
    falsePositives: 'A placeholder kept so that a sweep can set the rate later without changing layer names.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isDropoutLike(layer) || dropoutRate(layer) !== 0) continue;
      const single = layer.nodes.length <= 1 && (layer.nodes[0]?.inputs.length ?? 0) <= 1;
      context.report({
        layer,
        message: `${describe(layer)} has rate 0 and is a no-op.`,
        hint: `Remove '${layer.name}' or set the rate you meant.`,
        ...(single ? { fix: removeFix(context.path, layer) } : {}),
      });
    }
  },
};
