/**
 * A text progress bar in the style of Keras 3's `utils/progbar.py`:
 * `422/422 ━━━━━━━━━━━━━━━━━━━━ 5s 11ms/step - accuracy: 0.9712 - loss: 0.0931`.
 * On a TTY it redraws one line with `\r`; otherwise it writes only the final line.
 */

/** Where progress text goes (default: `process.stdout`). */
export interface ProgressOutput {
  write(text: string): void;
  /** Whether the output is a terminal (redraw in place). */
  isTTY?: boolean;
}

/** `process.stdout` as a progress output. */
export function stdoutOutput(): ProgressOutput {
  return { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true };
}

/** A value as Keras prints it: 4 decimals, scientific below 1e-3. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return Math.abs(value) > 1e-3 ? value.toFixed(4) : formatScientific(value);
}

function formatScientific(value: number): string {
  // Python's `%.4e`: two-digit exponent at least.
  const [mantissa, exponent] = value.toExponential(4).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/** Duration per unit as Keras prints it: `2s/step`, `11ms/step`, `350us/step`. */
export function formatTimePerUnit(seconds: number, unit = 'step'): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${(seconds * 1000).toFixed(0)}ms/${unit}`;
  return ` ${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

function formatEta(eta: number): string {
  if (eta > 3600) {
    return `${Math.floor(eta / 3600)}:${String(Math.floor((eta % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(eta % 60)).padStart(2, '0')}`;
  }
  if (eta > 60) return `${Math.floor(eta / 60)}:${String(Math.floor(eta % 60)).padStart(2, '0')}`;
  return `${Math.floor(eta)}s`;
}

/** Options of {@link Progbar}. */
export interface ProgbarOptions {
  /** Bar width in characters (default 20). */
  width?: number;
  /** 1: bar, 2: one line at the end. */
  verbose?: 1 | 2;
  /** Minimum seconds between redraws (default 0.05). */
  interval?: number;
  unitName?: string;
  output: ProgressOutput;
  /** Clock in seconds (injectable for tests). */
  now?: () => number;
}

/** A progress bar for `target` steps. Values given to `update` are shown as they are (running means). */
export class Progbar {
  private readonly width: number;
  private readonly verbose: 1 | 2;
  private readonly interval: number;
  private readonly unitName: string;
  private readonly output: ProgressOutput;
  private readonly now: () => number;
  private readonly start: number;
  private lastUpdate = 0;
  private timeAfterFirstStep: number | null = null;
  private prevWidth = 0;
  private seenSoFar = 0;
  private values = new Map<string, number>();

  /** `target`: total steps, `null` while unknown (a generator's first epoch); it can be set later, as Keras's `progbar.target`. */
  constructor(
    public target: number | null,
    options: ProgbarOptions,
  ) {
    this.width = options.width ?? 20;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.output = options.output;
    this.now = options.now ?? (() => performance.now() / 1000);
    this.start = this.now();
  }

  /** Time per step: after the first step, the first (slow, warm-up) step is left out, as Keras. */
  private timePerUnit(current: number, now: number): number {
    if (current === 0) return 0;
    if (current === 1) {
      this.timeAfterFirstStep = now;
      return (now - this.start) / current;
    }
    if (this.timeAfterFirstStep !== null) return (now - this.timeAfterFirstStep) / (current - 1);
    return (now - this.start) / current;
  }

  /** Shows progress `current` of `target` with the given values; `finalize` ends the line. */
  update(current: number, values: [string, number][] = [], finalize?: boolean): void {
    const done = finalize ?? (this.target !== null && current >= this.target);
    for (const [k, v] of values) this.values.set(k, v);
    this.seenSoFar = current;
    const now = this.now();
    const perUnit = this.timePerUnit(current, now);
    const metrics = [...this.values].map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !done) return;
      const tty = this.output.isTTY === true;
      if (!tty && !done) return; // Without a TTY, write only the final line of each bar.
      let bar: string;
      if (this.target !== null && this.target > 0) {
        const digits = String(this.target).length;
        const filled = Math.floor((this.width * current) / this.target);
        bar = `${String(current).padStart(digits)}/${this.target} ${'━'.repeat(filled)}${'─'.repeat(this.width - filled)}`;
      } else {
        bar = `${String(current).padStart(7)}/Unknown`;
      }
      const info =
        (this.target !== null && this.target > 0 && !done
          ? ` ${formatEta(perUnit * (this.target - current))}`
          : ` ${(now - this.start).toFixed(0)}s`) +
        formatTimePerUnit(perUnit, this.unitName) +
        metrics;
      let line = bar + info;
      const width = line.length;
      if (tty) {
        if (this.prevWidth > width) line += ' '.repeat(this.prevWidth - width);
        line = `\r${line}`;
      }
      if (done) line += '\n';
      this.output.write(line);
      this.prevWidth = width;
    } else if (done && this.target !== null && this.target > 0) {
      const digits = String(this.target).length;
      const count = `${String(current).padStart(digits)}/${this.target}`;
      this.output.write(
        `${count} - ${(now - this.start).toFixed(0)}s -${formatTimePerUnit(perUnit, this.unitName)}${metrics}\n`,
      );
    }
    this.lastUpdate = now;
  }

  /** Steps shown so far. */
  get seen(): number {
    return this.seenSoFar;
  }
}
