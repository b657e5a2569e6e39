/**
 * `ModelCheckpoint`: saves the model (or its weights) after each epoch, optionally only when
 * the monitored value improves. The path may contain Python-style fields: `{epoch:02d}`,
 * `{val_loss:.2f}`.
 */
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor.js';
import { ConfigurationError } from '../utils/errors.js';

/** Options of {@link ModelCheckpoint} (Keras defaults). */
export interface ModelCheckpointArgs {
  /** Value to watch when `saveBestOnly` (default `val_loss`). */
  monitor?: string;
  verbose?: number;
  /** Save only when `monitor` improves (default false). */
  saveBestOnly?: boolean;
  /** Save weights (`.weights.h5`) instead of the model (`.keras`) (default false). */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** Only save once the monitored value beats this (default none). */
  initialValueThreshold?: number | null;
}

/**
 * Formats `{name}` / `{name:spec}` fields with Python format specs `d`, `0Nd`, `.Nf`, `.Ne`;
 * unknown names are an error listing the available ones.
 */
export function formatFilepath(template: string, values: Record<string, number>): string {
  return template.replace(
    /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g,
    (_match, key: string, spec: string | undefined) => {
      const value = Object.hasOwn(values, key) ? values[key] : undefined;
      if (value === undefined) {
        throw new ConfigurationError(
          `ModelCheckpoint: filepath "${template}" uses {${key}}, which is not in the logs; available: ${Object.keys(values).join(', ')}`,
        );
      }
      return formatNumber(value, spec ?? '');
    },
  );
}

function formatNumber(value: number, spec: string): string {
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfeg%])?$/.exec(spec);
  if (m === null) throw new ConfigurationError(`ModelCheckpoint: unsupported format spec ":${spec}"`);
  const [, zero, widthText, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let text: string;
  switch (type) {
    case 'd':
      text = String(Math.trunc(value));
      break;
    case 'f':
      text = value.toFixed(precision ?? 6);
      break;
    case 'e':
      text = value.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case '%':
      text = `${(value * 100).toFixed(precision ?? 6)}%`;
      break;
    default:
      text = precision === undefined ? String(value) : value.toPrecision(precision);
  }
  const width = widthText === undefined ? 0 : Number(widthText);
  if (text.length < width) {
    if (zero === '0') {
      const negative = text.startsWith('-');
      text = (negative ? '-' : '') + text.slice(negative ? 1 : 0).padStart(width - (negative ? 1 : 0), '0');
    } else {
      text = text.padStart(width, ' ');
    }
  }
  return text;
}

/**
 * Saves the model or weights at the end of every epoch (or only the best ones).
 *
 * @example
 * ```ts
 * const checkpoint = new callbacks.ModelCheckpoint('best.keras', { monitor: 'val_loss', saveBestOnly: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [checkpoint] });
 * ```
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  best: number | null;
  /** Paths written so far, in order. */
  readonly saved: string[] = [];

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    super(args.monitor ?? 'val_loss', args.mode ?? 'auto', 0, 'ModelCheckpoint');
    this.filepath = filepath;
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.best = args.initialValueThreshold ?? null;
    if (this.saveWeightsOnly && !filepath.endsWith('.weights.h5')) {
      throw new ConfigurationError(
        `ModelCheckpoint: when saveWeightsOnly is true, filepath must end in ".weights.h5", got "${filepath}"`,
      );
    }
    if (!this.saveWeightsOnly && !filepath.endsWith('.keras')) {
      throw new ConfigurationError(
        `ModelCheckpoint: filepath must end in ".keras" (or set saveWeightsOnly and use ".weights.h5"), got "${filepath}"`,
      );
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatFilepath(this.filepath, { ...logs, epoch: epoch + 1 });
    if (this.saveBestOnly) {
      const current = this.monitorValue(logs);
      if (current === null) return;
      if (!this.isImprovement(current, this.best)) {
        if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose > 0)
        console.log(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model to ${path}`,
        );
      this.best = current;
    } else if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: saving model to ${path}`);
    }
    if (this.saveWeightsOnly) await this.model!.saveWeights(path);
    else await this.model!.save(path);
    this.saved.push(path);
  }
}
