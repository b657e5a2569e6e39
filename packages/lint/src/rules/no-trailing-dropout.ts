import type { LayerIR } from '@strata/graph';
import type { Rule } from '../types.js';
import { isActivationLayer, isProbabilityActivation, isShapeOnly, isTrainingNoise } from '../layer-kinds.js';
import { globMatch } from '../glob.js';
import type { GraphView } from '../graph-util.js';
import { describe, nearestActivations, stringListOption, viewOf } from '../rule-util.js';
import { reachesOutputWithoutWeights } from './no-dropout-after-probabilities.js';

function isTail(l: LayerIR): boolean {
  return (
    isShapeOnly(l) ||
    isActivationLayer(l) ||
    isTrainingNoise(l) ||
    l.className === 'Flatten' ||
    l.className === 'Reshape'
  );
}

/** Whether every path from `layer` ends at a model output through tail-only layers. */
function feedsOnlyOutputs(view: GraphView, layer: LayerIR): boolean {
  if (view.isOutput(layer)) return true;
  const consumers = view.consumers(layer);
  return consumers.length > 0 && consumers.every((c) => isTail(c) && feedsOnlyOutputs(view, c));
}

/** Dropout at the very end of a model. */
export const noTrailingDropout: Rule = {
  id: 'no-trailing-dropout',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  defaultOptions: { allowForModelNames: [] },
  docs: {
    summary:
      'A dropout-family layer (or GaussianNoise) is a model output, or feeds only outputs through activations/reshapes.',
    why:
      'Dropout on the output corrupts the predictions the loss sees during training (scaled by 1/(1-rate), ' +
      "Keras Dropout docstring) and regularises no weight after it. UMLAUT's rate check skips the last layer, " +
      'an implicit acknowledgement that trailing dropout is unusual.',
    howToFix: 'Move the dropout before the last weight layer (e.g. before the final Dense), or remove it.',
    falsePositives:
      'Backbones exported without their head (the head is added later): add the model name to allowForModelNames ' +
      'or suppress the layer. Cases after softmax/sigmoid are left to no-dropout-after-probabilities.',
    options: { allowForModelNames: 'Model-name (or file) globs for which trailing dropout is intended.' },
  },
  check(context) {
    const allowed = stringListOption(context.options, 'allowForModelNames');
    if (allowed.some((glob) => globMatch(glob, context.model.name))) return;
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isTrainingNoise(layer) || !feedsOnlyOutputs(view, layer)) continue;
      const probabilities = nearestActivations(view, layer, 'up').some((h) => isProbabilityActivation(h.activation));
      if (probabilities && reachesOutputWithoutWeights(view, layer)) continue;
      context.report({
        layer,
        message: `${describe(layer)} is at the end of model '${context.model.name}': it only corrupts the output.`,
        hint: `Move '${layer.name}' before the last weight layer, or remove it.`,
      });
    }
  },
};
