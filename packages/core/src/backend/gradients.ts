/**
 * Registers TF.js's gradient functions. `@tensorflow/tfjs-core` registers none by itself (the
 * `@tensorflow/tfjs` umbrella does), and its only entry for them is an ES module whose relative
 * imports carry no file extension — which bundlers accept and Node's ESM loader does not. A
 * small resolve hook, scoped to tfjs-core's own `dist` folder, adds the missing `.js` / `/index.js`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { register } from 'node:module';

const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL ?? '';
    if (specifier.startsWith('.') && parent.includes('/@tensorflow/tfjs-core/dist/')) {
      for (const suffix of ['.js', '/index.js']) {
        try { return await next(specifier + suffix, context); } catch {}
      }
    }
    throw error;
  }
}`;

let registered: Promise<void> | undefined;

/** Makes every TF.js gradient available (idempotent; a no-op when another package already did it). */
export function registerAllGradients(): Promise<void> {
  registered ??= (async () => {
    if (tf.getGradient('Conv2D') !== undefined) return;
    register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
    if (tf.getGradient('Conv2D') === undefined) {
      throw new Error(
        'TF.js gradients could not be registered: @tensorflow/tfjs-core/dist/register_all_gradients.js did not register them',
      );
    }
  })();
  return registered;
}
