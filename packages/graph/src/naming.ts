/**
 * Keras's naming rules, shared by the runtime (automatic layer names) and the
 * file codecs (weight group paths in `model.weights.h5`).
 */

/**
 * Keras's `to_snake_case` for class names: `Conv2D` → `conv2d`,
 * `MaxPooling2D` → `max_pooling2d`, `SimpleRNN` → `simple_rnn`, `ReLU` → `re_lu`.
 */
export function classNameToSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
