import type { Rule } from '../types.js';
import {
  isActivationLayer,
  isAlwaysActive,
  isBatchNorm,
  isDropoutLike,
  isShapeOnly,
  isWeightLayer,
} from '../layer-kinds.js';
import { walkThrough } from '../graph-util.js';
import { booleanOption, describe, numberOption, viewOf } from '../rule-util.js';
import { knownOutputShape } from '../rank.js';

/** Dropout feeding BatchNormalization (variance shift, Li et al. CVPR 2019). */
export const noDropoutBeforeBatchnorm: Rule = {
  id: 'no-dropout-before-batchnorm',
  category: 'normalization',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: { throughWeightLayers: false, minChannels: 0 },
  docs: {
    summary: 'A dropout-family layer feeds BatchNormalization (directly or through activations/padding).',
    why:
      "Dropout changes a unit's variance between training and inference while BatchNormalization keeps the " +
      'variance it accumulated during training, so inference sees a "variance shift" (Li, Chen, Hu, Yang, ' +
      '"Understanding the Disharmony between Dropout and Batch Normalization by Variance Shift", CVPR 2019, ' +
      'arXiv 1801.05134). NeuraLint (Nikanjam et al., TOSEM 2021) checks the same pattern.',
    howToFix:
      'Move the dropout after the last BatchNormalization of the block (Kim et al., UAI 2023: after the last BN, ' +
      'before the last weight layer of a residual branch) or just before the classifier.',
    falsePositives:
      'Very wide layers (Wide ResNet) show little shift according to Li et al.; set minChannels to skip layers whose ' +
      'known channel count is at least that. MC-dropout layers (training=True) are reported as info only.',
    options: {
      throughWeightLayers: 'Also follow Dense/Conv layers between the dropout and the BN (default false).',
      minChannels: 'Skip when the known channel count is at least this (0 = never skip).',
    },
  },
  check(context) {
    const view = viewOf(context.model);
    const throughWeights = booleanOption(context.options, 'throughWeightLayers', false);
    const minChannels = numberOption(context.options, 'minChannels', 0);
    for (const layer of view.order) {
      if (!isDropoutLike(layer)) continue;
      const reached = walkThrough(
        view,
        layer,
        'down',
        (l) => isShapeOnly(l) || isActivationLayer(l) || (throughWeights && isWeightLayer(l) && !l.model),
      );
      const bn = reached.find((r) => isBatchNorm(r.layer));
      if (!bn) continue;
      const shape = knownOutputShape(context.shapes, layer);
      const channels = shape ? shape[shape.length - 1] : undefined;
      if (minChannels > 0 && typeof channels === 'number' && channels >= minChannels) continue;
      const via = bn.via.length ? ` (through ${bn.via.map((l) => `'${l.name}'`).join(', ')})` : '';
      context.report({
        layer,
        message: `${describe(layer)} feeds ${describe(bn.layer)}${via}; BN's moving variance will not match inference (variance shift).`,
        hint: `Move '${layer.name}' after '${bn.layer.name}' (after the last BN of the block) or just before the classifier.`,
        ...(isAlwaysActive(layer) ? { severity: 'info' as const } : {}),
      });
    }
  },
};
