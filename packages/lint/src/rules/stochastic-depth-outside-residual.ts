import type { Rule } from '../types.js';
import { isAncestor } from '../graph-util.js';
import { describe, viewOf } from '../rule-util.js';

/** StochasticDepth/DropPath without an identity bypass. */
export const stochasticDepthOutsideResidual: Rule = {
  id: 'stochastic-depth-outside-residual',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary:
      'StochasticDepth not called on [shortcut, residual] of a residual block, or DropPath not feeding an Add with the block input.',
    why: 'Stochastic depth drops a residual branch and bypasses it with the identity (Huang et al., ECCV 2016, arXiv 1603.09382); keras_cv documents StochasticDepth as "a drop-in replacement for addition" of [input, residual]. Without the bypass a drop zeroes the whole sample\'s activations.',
    howToFix:
      'Call StochasticDepth on [shortcut, residual] where the residual branch starts at the shortcut, or make DropPath feed the Add that joins the branch with the block input.',
    falsePositives:
      'Branches that start from an earlier projection of the shortcut are accepted when the shortcut lies upstream of the residual.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'StochasticDepth' && layer.className !== 'DropPath') continue;
      const refs = layer.nodes[0]?.inputs ?? [];
      if (layer.className === 'StochasticDepth' && refs.length === 2) {
        const shortcut = view.layer(refs[0]!.layer);
        const residual = view.layer(refs[1]!.layer);
        if (shortcut && residual && shortcut !== residual && isAncestor(view, shortcut, residual)) continue;
        context.report({
          layer,
          message: `${describe(layer)} is called on ['${refs[0]!.layer}', '${refs[1]!.layer}'], but the second is not a branch computed from the first.`,
          hint: `Call '${layer.name}' on [shortcut, residual_branch_output] of one residual block.`,
        });
        continue;
      }
      // Single input: DropPath-style; the output must meet its own block input in an Add.
      const branchOut = layer;
      const ok = view
        .consumers(branchOut)
        .some(
          (c) =>
            c.className === 'Add' &&
            view
              .producers(c)
              .some(
                (other) => other !== branchOut && view.producers(branchOut).some((p) => isAncestor(view, other, p)),
              ),
        );
      if (ok) continue;
      context.report({
        layer,
        message: `${describe(layer)} drops its input without an identity bypass: no Add joins it with the block input.`,
        hint: `Feed '${layer.name}' into Add([shortcut, '${layer.name}']) of its residual block.`,
      });
    }
  },
};
