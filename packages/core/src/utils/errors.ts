/**
 * The kinds of error Strata throws, so callers can tell a misuse from bad data or a bad file
 * with `instanceof` instead of matching messages:
 *
 * - {@link ConfigurationError}: a bad option or argument (layer options, `compile`, `fit`, a
 *   Model's inputs/outputs, an unknown name);
 * - {@link NotCompiledError} / {@link NotBuiltError}: the model or layer is not in the state the
 *   call needs yet;
 * - {@link DataError}: the data given to `fit`/`evaluate`/`predict` or a data helper is unusable;
 * - {@link InputShapeError}: a layer or model is given inputs of a shape it cannot take. It extends
 *   `@strata/graph`'s `ShapeError`, so one `instanceof ShapeError` catches shape problems found
 *   while building (core) and while inferring a model's shapes (graph, lint, CLI);
 * - file problems are `@strata/graph`'s `ModelFileError` (and `ModelLoadError` for a file whose
 *   content may not be built), as before.
 *
 * Every class but `InputShapeError` (which must extend graph's class) and `ModelFileError`
 * derives from {@link StrataError}. Messages are unchanged by the class: they name the layer or
 * call, the expected and the actual value, and the valid choices.
 *
 * This file imports nothing from core: every folder throws these.
 */
import { ShapeError } from '@strata/graph';

/** Base class of the errors Strata's runtime throws on purpose (misuse, bad data, wrong state). */
export class StrataError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A bad option, argument or name: unknown option keys (`kernel_size` for `kernelSize`), values out
 * of range (`units: 0`), unknown losses/optimizers/activations, a `compile` spec that does not
 * fit the model's outputs, `fit` options that contradict each other.
 *
 * It extends {@link StrataError}, not `TypeError`: the unknown-option check used to throw a plain
 * `TypeError`, but most bad options are bad values rather than bad types, and one class for every
 * option problem (caught with one `instanceof`) is worth more than matching JavaScript's built-in
 * `TypeError`/`RangeError` split. Code that caught `TypeError` from an unknown option should catch
 * `ConfigurationError`.
 */
export class ConfigurationError extends StrataError {}

/** A training or evaluation method (`fit`, `evaluate`, `trainOnBatch`, `model.optimizer`) was used before `compile`. */
export class NotCompiledError extends StrataError {}

/** A layer's weights or output shape were asked for before the layer was built (called on an input, or `build`). */
export class NotBuiltError extends StrataError {}

/**
 * Data that cannot be used: non-numeric or ragged arrays, a disposed tensor, arrays with different
 * sample counts, labels outside the valid range, a dict with unknown or missing input/output names.
 */
export class DataError extends StrataError {}

/**
 * Inputs of a shape or rank a layer or model cannot take (wrong rank, an unknown axis that must be
 * known, mismatched merge inputs). A `ShapeError` of `@strata/graph`: `layerName` and `className`
 * are read from the message when it names the layer (`Layer "dense" (Dense): …`), else empty.
 */
export class InputShapeError extends ShapeError {
  constructor(message: string) {
    const named = /^Layer "([^"]*)" \(([^)]*)\)/.exec(message);
    super(named?.[1] ?? '', named?.[2] ?? '', '');
    // ShapeError formats its own message from the layer and the detail; keep the caller's exactly.
    this.message = message;
    this.name = 'InputShapeError';
  }
}
