/**
 * Glob matching for layer names, class names and model files (picomatch semantics).
 */
import picomatch from 'picomatch';

const cache = new Map<string, (value: string) => boolean>();

/**
 * Whether `value` matches `glob`. Model-file globs are also tried against the base name, so
 * `"*.keras"` matches `models/a.keras`.
 */
export function globMatch(glob: string, value: string): boolean {
  let matcher = cache.get(glob);
  if (!matcher) {
    const full = picomatch(glob, { dot: true });
    const base = glob.includes('/') ? undefined : picomatch(glob, { dot: true, basename: true });
    matcher = (v: string) => full(v) || (base !== undefined && base(v));
    cache.set(glob, matcher);
  }
  return matcher(value);
}
