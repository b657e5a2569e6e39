/**
 * Collects the losses layers add during a forward pass (activity regularization,
 * `layer.addLoss`), so the training step can add them to the objective.
 */
import * as tf from '@tensorflow/tfjs-core';

const stack: tf.Tensor[][] = [];

/** Runs `fn` and returns its result with the losses added while it ran. */
export function collectLosses<T>(fn: () => T): { result: T; losses: tf.Tensor[] } {
  const losses: tf.Tensor[] = [];
  stack.push(losses);
  try {
    const result = fn();
    // Losses were kept so the tidy scopes of layer calls could not free them; hand them over to the
    // caller's scope (the clone stays on the gradient tape) and release the kept originals.
    return {
      result,
      losses: losses.map((loss) => {
        const owned = tf.clone(loss);
        loss.dispose();
        return owned;
      }),
    };
  } catch (error) {
    tf.dispose(losses);
    throw error;
  } finally {
    stack.pop();
  }
}

/** True while a training or test step collects losses. */
export function isCollectingLosses(): boolean {
  return stack.length > 0;
}

/** Records a loss if a collection is under way; otherwise the tensor is freed. */
export function recordLoss(loss: tf.Tensor): void {
  const current = stack[stack.length - 1];
  if (current !== undefined) current.push(tf.keep(loss));
  else loss.dispose();
}

/** The losses recorded so far by the innermost collection (empty when none is under way); still owned by it. */
export function lossesSoFar(): readonly tf.Tensor[] {
  return stack[stack.length - 1] ?? [];
}
