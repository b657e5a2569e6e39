import type { Rule } from '../types.js';
import { convRank, isBatchNorm, isShapeOnly } from '../layer-kinds.js';
import { walkThrough } from '../graph-util.js';
import { describe, viewOf } from '../rule-util.js';

/** Bias immediately cancelled by BatchNormalization's mean subtraction. */
export const redundantBiasBeforeBatchnorm: Rule = {
  id: 'redundant-bias-before-batchnorm',
  category: 'style',
  recommended: 'off',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary: 'A Dense/Conv layer with use_bias=true and no activation feeds BatchNormalization with center=true.',
    why: "BatchNormalization subtracts the batch mean, which cancels any bias added before it; its beta takes the bias's role (Ioffe & Szegedy, ICML 2015, §3.2). NeuraLint rule f005 checks the same pattern.",
    howToFix: 'Set use_bias=false on the layer before the BN (changes the weight files, so not automatic).',
    falsePositives:
      'Not reported when BN has center=false (no beta) or when an activation sits in between (Conv → ReLU → BN).',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!(layer.className === 'Dense' || convRank(layer) !== undefined)) continue;
      if (layer.config['use_bias'] === false) continue;
      const activation = layer.config['activation'];
      if (activation !== undefined && activation !== null && activation !== 'linear') continue;
      const bn = walkThrough(view, layer, 'down', isShapeOnly).find(
        (r) => isBatchNorm(r.layer) && r.layer.config['center'] !== false,
      );
      if (!bn || view.consumers(layer).length !== 1) continue;
      context.report({
        layer,
        message: `${describe(layer)} adds a bias that ${describe(bn.layer)} subtracts again (its beta plays that role).`,
        hint: `Set use_bias=false on '${layer.name}'.`,
      });
    }
  },
};
