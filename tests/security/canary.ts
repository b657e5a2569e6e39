/**
 * The canary planted outside every model folder of the hostile corpus: float32 values no
 * real weight holds. Any of them in a loaded weight means bytes came from outside the file.
 *
 * @packageDocumentation
 */

/** The same values make_hostile_h5.py writes to canary.bin / canary.h5. */
export const CANARY_VALUES: readonly number[] = [1234.5, -2345.25, 3456.125, -4567.0625, 5678.5, -6789.75];
