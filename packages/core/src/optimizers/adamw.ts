/** AdamW: Adam with decoupled weight decay (Keras 3 default weightDecay 0.004). */
import { Adam, type AdamArgs } from './adam.js';
import { ConfigurationError } from '../utils/errors.js';

/** Adam whose step first shrinks each weight by `w * weightDecay * lr`, as Keras 3 `AdamW`. */
export class AdamW extends Adam {
  override readonly className = 'AdamW';
  constructor(args: AdamArgs = {}) {
    const weightDecay = args.weightDecay ?? 0.004;
    if (weightDecay === null || weightDecay === 0) {
      throw new ConfigurationError('AdamW: weightDecay must be a positive number (use Adam for no weight decay)');
    }
    super({ ...args, weightDecay }, 'AdamW');
  }
}
