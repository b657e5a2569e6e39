import type { LayerIR } from '@strata/graph';
import type { Fix, Rule } from '../types.js';
import { dropoutRate, noiseShape } from '../layer-kinds.js';
import { baseConfig, findLayer, replaceLayer } from '../ir-edit.js';
import { describe, nearestActivations, viewOf } from '../rule-util.js';

function alphaFix(path: string[], layer: LayerIR): Fix {
  return {
    kind: 'unsafe',
    description: `replace '${layer.name}' with AlphaDropout(rate)`,
    apply(model) {
      const found = findLayer(model, path, layer.name);
      if (!found || found.layer.className !== 'Dropout') return;
      const extra = {
        rate: dropoutRate(found.layer) ?? 0.1,
        noise_shape: found.layer.config['noise_shape'] ?? null,
        seed: found.layer.config['seed'] ?? null,
      };
      replaceLayer(found.layer, 'AlphaDropout', baseConfig(found.layer, extra));
    },
  };
}

/** Plain Dropout inside a SELU stack. */
export const seluPrefersAlphaDropout: Rule = {
  id: 'selu-prefers-alpha-dropout',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  fixable: 'unsafe',
  defaultOptions: {},
  docs: {
    summary: 'Plain Dropout between selu layers (a self-normalising stack).',
    why: 'Plain dropout sets units to 0 and rescales, which breaks the fixed point of mean 0 / variance 1 that SELU networks rely on; Klambauer et al. (NeurIPS 2017) introduce AlphaDropout for that, and the Keras selu docs say to use it "together with" LecunNormal and AlphaDropout.',
    howToFix: 'Replace the Dropout with AlphaDropout(rate) (an unsafe fix: the noise changes).',
    falsePositives: 'None known; rates typical for AlphaDropout are lower (0.05-0.1) than for Dropout.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'Dropout' || noiseShape(layer)) continue;
      const up = nearestActivations(view, layer, 'up');
      const down = nearestActivations(view, layer, 'down');
      const allSelu = (hits: typeof up): boolean => hits.length > 0 && hits.every((h) => h.activation === 'selu');
      if (!allSelu(up) || !allSelu(down)) continue;
      context.report({
        layer,
        message: `${describe(layer)} sits between selu layers ('${up[0]!.layer.name}' → '${down[0]!.layer.name}'); plain dropout breaks self-normalisation.`,
        hint: `Replace '${layer.name}' with AlphaDropout(rate).`,
        fix: alphaFix(context.path, layer),
      });
    }
  },
};
