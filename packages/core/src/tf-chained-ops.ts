/**
 * Types of TF.js's chained ops (`x.argMax()`, `x.slice()`, …) for the exported `tf`: they run
 * already (tfjs-core's Node build registers them), but its typings declare them only in
 * augmentation modules that its index does not import. A type-only import, used by an exported
 * type so the emitted declarations keep it; nothing loads at runtime.
 *
 * @packageDocumentation
 */
import type * as chainedOps from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

/**
 * Carries TF.js's chained-op typings into `@strata/core`'s declarations (no runtime value).
 *
 * @internal
 */
export type TfChainedOps = typeof chainedOps;
