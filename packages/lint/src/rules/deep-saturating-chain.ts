import type { LayerIR } from '@strata/graph';
import type { Rule } from '../types.js';
import {
  isActivationLayer,
  isMerge,
  isNormalization,
  isRecurrent,
  isWeightLayer,
  outputActivation,
} from '../layer-kinds.js';
import { describe, numberOption, viewOf } from '../rule-util.js';

const SATURATING = new Set([
  'sigmoid',
  'tanh',
  'softmax',
  'hard_sigmoid',
  'hard_sigmoid_legacy',
  'softsign',
  'log_softmax',
  'hard_tanh',
]);

/** Deep chains of saturating activations without normalization or residual connections. */
export const deepSaturatingChain: Rule = {
  id: 'deep-saturating-chain',
  category: 'gradients',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: { maxDepth: 4 },
  docs: {
    summary:
      'More than maxDepth consecutive sigmoid/tanh/softmax-like layers with no normalization layer or residual connection in between.',
    why:
      'Saturating activations have derivatives ≤ 1 (sigmoid ≤ 0.25), so back-propagated gradients shrink geometrically with depth ' +
      '(Hochreiter 1991; Bengio, Simard & Frasconi, IEEE TNN 1994). Glorot & Bengio (AISTATS 2010) show deep sigmoid ' +
      'networks saturating their top hidden layer and training poorly. Normalization (Ioffe & Szegedy 2015) and identity ' +
      'shortcuts (He et al., CVPR 2016) are the standard remedies.',
    howToFix:
      'Use relu/gelu/selu in hidden layers, insert BatchNormalization/LayerNormalization, or add residual connections.',
    falsePositives:
      'Gating layers (attention or LSTM-style gates built from Dense(sigmoid)) are not chains in the gradient sense; ' +
      'recurrent layers are not counted. Raise maxDepth for shallow-but-wide designs.',
    options: { maxDepth: 'Longest accepted chain of saturating layers (default 4).' },
  },
  check(context) {
    const view = viewOf(context.model);
    const maxDepth = numberOption(context.options, 'maxDepth', 4);
    const depth = new Map<LayerIR, number>();
    const start = new Map<LayerIR, LayerIR>();
    for (const layer of view.order) {
      const producers = view.producers(layer);
      let inherited = 0;
      let first: LayerIR | undefined;
      for (const p of producers) {
        if ((depth.get(p) ?? 0) > inherited) {
          inherited = depth.get(p)!;
          first = start.get(p);
        }
      }
      let d: number;
      if (isNormalization(layer) || layer.className === 'Add' || isRecurrent(layer) || layer.model) {
        d = 0;
      } else if (isWeightLayer(layer) || isActivationLayer(layer)) {
        const activation = outputActivation(layer);
        if (activation !== undefined && SATURATING.has(activation)) d = inherited + 1;
        else if (activation === 'linear') d = inherited;
        else d = 0;
      } else if (isMerge(layer)) {
        d = inherited;
      } else {
        d = inherited;
      }
      depth.set(layer, d);
      start.set(layer, d > 0 ? (d === 1 && inherited === 0 ? layer : (first ?? layer)) : layer);
      if (d === maxDepth + 1) {
        context.report({
          layer,
          message: `${describe(layer)} ends a chain of ${d} saturating activations starting at '${start.get(layer)!.name}' with no normalization or residual connection.`,
          hint: 'Use relu/gelu in hidden layers, add BatchNormalization/LayerNormalization, or add skip connections.',
        });
      }
    }
  },
};
