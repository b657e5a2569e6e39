import type { Rule } from '../types.js';
import { isDropoutLike } from '../layer-kinds.js';
import { isAncestor } from '../graph-util.js';
import { describe, viewOf } from '../rule-util.js';

/** Dropout on the identity path of a residual network. */
export const dropoutOnResidualTrunk: Rule = {
  id: 'dropout-on-residual-trunk',
  category: 'dropout',
  recommended: 'off',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary: 'A dropout whose input is a residual Add and whose output is the shortcut of a later Add.',
    why: 'Transformers put dropout on the branch output before the add (Vaswani et al., NeurIPS 2017, §5.4); stochastic depth drops branches, never the identity (Huang et al., ECCV 2016); Kim et al. (UAI 2023) recommend one dropout inside the branch. Dropping the trunk drops the identity signal too.',
    howToFix: 'Move the dropout into the residual branch, before the Add.',
    falsePositives:
      'Embedding dropout on Add(token_embedding, position_embedding) at the start of a Transformer is excluded.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isDropoutLike(layer)) continue;
      const add = view.producers(layer).find((p) => p.className === 'Add');
      if (!add) continue;
      const embeddingSum = view
        .producers(add)
        .some((p) => p.className === 'Embedding' || /Embedding/.test(p.className));
      if (embeddingSum) continue;
      // A later Add that takes this dropout directly and a branch computed from it is a skip connection.
      const skipAdd = view
        .consumers(layer)
        .find(
          (c) =>
            c.className === 'Add' &&
            view.producers(c).some((other) => other !== layer && isAncestor(view, layer, other)),
        );
      if (!skipAdd) continue;
      context.report({
        layer,
        message: `${describe(layer)} sits on the residual trunk between ${describe(add)} and ${describe(skipAdd)}, dropping the identity signal.`,
        hint: `Move '${layer.name}' into the residual branch, before '${skipAdd.name}'.`,
      });
    }
  },
};
