import type { LayerIR } from '@strata/graph';
import type { Rule } from '../types.js';
import { isTrainingNoise, isProbabilityActivation, isWeightLayer } from '../layer-kinds.js';
import { walkThrough, type GraphView } from '../graph-util.js';
import { describe, nearestActivations, viewOf } from '../rule-util.js';

/** Whether some path from `layer` reaches a model output without passing a weight layer. */
export function reachesOutputWithoutWeights(view: GraphView, layer: LayerIR): boolean {
  if (view.isOutput(layer)) return true;
  const seen = new Set<LayerIR>();
  const stack = [...view.consumers(layer)];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current) || isWeightLayer(current)) continue;
    seen.add(current);
    if (view.isOutput(current)) return true;
    stack.push(...view.consumers(current));
  }
  return false;
}

/** Dropout applied to probabilities (softmax/sigmoid output). */
export const noDropoutAfterProbabilities: Rule = {
  id: 'no-dropout-after-probabilities',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary:
      'A dropout-family layer (or GaussianNoise) after a softmax/sigmoid output (Activation, Softmax layer or Dense/Conv activation).',
    why:
      'Inverted dropout zeroes outputs and scales the rest by 1/(1-rate) during training (Keras Dropout docstring), ' +
      'so "probabilities" no longer sum to 1 and can exceed 1; zeros give log(0) in cross-entropy, clipped by ' +
      'epsilon into very large losses.',
    howToFix: 'Move the dropout before the layer that produces the probabilities (e.g. before the final Dense).',
    falsePositives:
      'None known for training graphs; inference-only graphs are unaffected at run time but still wrong as architecture.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isTrainingNoise(layer)) continue;
      const producer = nearestActivations(view, layer, 'up').find((hit) => isProbabilityActivation(hit.activation));
      if (!producer || !reachesOutputWithoutWeights(view, layer)) continue;
      // The dropout belongs before the weight layer that computes the logits, not between logits and softmax.
      const logits = isWeightLayer(producer.layer)
        ? producer.layer
        : walkThrough(view, producer.layer, 'up', (l) => !isWeightLayer(l) && view.producers(l).length === 1)
            .map((r) => r.layer)
            .find(isWeightLayer);
      context.report({
        layer,
        message: `${describe(layer)} drops and rescales the ${producer.activation} probabilities of ${describe(producer.layer)} on their way to the model output.`,
        hint: logits
          ? `Move '${layer.name}' before '${logits.name}' (the layer computing the logits), or remove it.`
          : `Move '${layer.name}' before the layer computing the logits, or remove it.`,
      });
    }
  },
};
