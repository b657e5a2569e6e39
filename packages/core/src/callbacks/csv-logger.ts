/** `CSVLogger`: writes each epoch's logs as a CSV row (Keras format: `epoch` first, keys sorted, `\r\n` lines). */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Callback, type Logs } from './callback.js';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** Field separator (default `,`). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/** A number as Python's `repr(float)` prints it (`1.0`, `0.5`, `1e-05`), which Keras's CSV rows use. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** Streams epoch results to a CSV file. */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(
    readonly filename: string,
    args: CSVLoggerArgs = {},
  ) {
    super();
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override onTrainBegin(): void {
    this.keys = null;
    if (this.append && existsSync(this.filename)) {
      this.writeHeader = readFileSync(this.filename, 'utf8').length === 0;
    } else {
      this.writeHeader = true;
      writeFileSync(this.filename, '');
    }
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    // Validation runs every epoch, so the first epoch's logs already hold every key.
    this.keys ??= Object.keys(logs).sort();
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...this.keys].map((k) => this.quote(k)).join(this.separator) + '\r\n';
      this.writeHeader = false;
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k]!)))];
    text += row.map((v) => this.quote(v)).join(this.separator) + '\r\n';
    appendFileSync(this.filename, text);
  }

  /** Quotes a field when it contains the separator, a quote or a line break (Python csv's minimal quoting). */
  private quote(field: string): string {
    if (field.includes(this.separator) || /["\r\n]/.test(field)) return `"${field.replace(/"/g, '""')}"`;
    return field;
  }
}
