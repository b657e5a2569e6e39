/**
 * `DropoutScheduler`: changes dropout rates from epoch to epoch during `fit` — e.g. a DropPath
 * rate ramped up over training, DropBlock's linear schedule (Ghiasi et al. 2018), or curriculum
 * dropout (Morerio et al., ICCV 2017: start without dropout, increase it over time). The rate in
 * force is written to the epoch's logs, so it appears in the History.
 */
import { Callback, Functional, Layer, type Logs } from '../core-api.js';
import { checkRate } from '../layers/rate.js';

/** How the rate moves from `from` to `to`, or a function of the epoch. */
export type DropoutSchedule = 'linear' | 'cosine' | ((epoch: number) => number);

/** Options of {@link DropoutScheduler}. */
export interface DropoutSchedulerOptions {
  /** `linear`, `cosine` (half cosine from `from` to `to`), or `(epoch) => rate` ['linear']. */
  schedule?: DropoutSchedule;
  /** Rate at the first epoch [0]. */
  from?: number;
  /** Rate reached at epoch `epochs − 1` and kept afterwards (required for `linear`/`cosine`). */
  to?: number;
  /** Epochs over which the rate moves [the `epochs` of `fit`]. */
  epochs?: number;
  /** Which layers: names, or a predicate; by default every layer with a settable `rate`. */
  layers?: string[] | ((layer: Layer) => boolean);
  /** Log key of the rate ['dropout_rate']; `null` logs per layer as `<layer>_rate` instead. */
  logKey?: string | null;
}

/** A layer whose dropout rate can be changed between calls. */
export interface RateSettable {
  rate: number;
}

/** Whether a layer has a settable numeric `rate` (Dropout and subclasses, GaussianDropout, DropBlock2D, StochasticDepth, DropConnectDense). */
export function hasSettableRate(layer: Layer): layer is Layer & RateSettable {
  if (typeof (layer as Partial<RateSettable>).rate !== 'number') return false;
  for (let proto: object | null = layer; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'rate');
    if (descriptor !== undefined) return descriptor.writable === true || descriptor.set !== undefined;
  }
  return false;
}

function allLayers(root: Layer): Layer[] {
  const found: Layer[] = [];
  const visit = (layer: Layer): void => {
    if (found.includes(layer)) return;
    found.push(layer);
    (layer instanceof Functional ? [...layer.layers, ...layer.trackedLayers] : layer.trackedLayers).forEach(visit);
  };
  visit(root);
  return found;
}

/** The rate of a `linear`/`cosine` schedule at `epoch` (clamped to the last epoch). */
export function scheduledRate(
  schedule: 'linear' | 'cosine',
  from: number,
  to: number,
  epochs: number,
  epoch: number,
): number {
  const t = epochs <= 1 ? 1 : Math.min(Math.max(epoch / (epochs - 1), 0), 1);
  const fraction = schedule === 'linear' ? t : (1 - Math.cos(Math.PI * t)) / 2;
  return from + (to - from) * fraction;
}

/**
 * A callback that sets the rate of the selected dropout layers at the start of every epoch and
 * logs it at the end (`dropout_rate`, or `<layer>_rate` per layer).
 */
export class DropoutScheduler extends Callback {
  private readonly schedule: DropoutSchedule;
  private readonly from: number;
  private readonly to: number | undefined;
  private readonly epochs: number | undefined;
  private readonly selection: DropoutSchedulerOptions['layers'];
  private readonly logKey: string | null;
  private targets: (Layer & RateSettable)[] = [];

  constructor(options: DropoutSchedulerOptions) {
    super();
    this.schedule = options.schedule ?? 'linear';
    if (typeof this.schedule !== 'function' && this.schedule !== 'linear' && this.schedule !== 'cosine') {
      throw new Error(
        `DropoutScheduler: invalid schedule ${JSON.stringify(this.schedule)}; valid choices: 'linear', 'cosine', or a function (epoch) => rate`,
      );
    }
    this.from = checkRate(options.from ?? 0, 'DropoutScheduler', 'from');
    this.to = options.to === undefined ? undefined : checkRate(options.to, 'DropoutScheduler', 'to');
    if (this.to === undefined && typeof this.schedule !== 'function') {
      throw new Error(`DropoutScheduler: schedule '${this.schedule}' needs "to", the final rate`);
    }
    if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs > 0)) {
      throw new Error(`DropoutScheduler: epochs must be a positive integer, got ${String(options.epochs)}`);
    }
    this.epochs = options.epochs;
    this.selection = options.layers;
    this.logKey = options.logKey === undefined ? 'dropout_rate' : options.logKey;
  }

  /** The layers the schedule drives (resolved when training begins). */
  get layers(): readonly Layer[] {
    return this.targets;
  }

  /** The rate for an epoch. */
  rateAt(epoch: number): number {
    const rate =
      typeof this.schedule === 'function'
        ? this.schedule(epoch)
        : scheduledRate(this.schedule, this.from, this.to!, this.epochs ?? this.params.epochs, epoch);
    return checkRate(rate, `DropoutScheduler (epoch ${epoch})`);
  }

  override onTrainBegin(): void {
    const model = this.model;
    if (model === null) throw new Error('DropoutScheduler: no model; use it as a callback of fit()');
    const candidates = allLayers(model).filter((l) => l !== model);
    const selection = this.selection;
    if (Array.isArray(selection)) {
      this.targets = selection.map((name) => {
        const layer = candidates.find((l) => l.name === name);
        if (layer === undefined) throw new Error(`DropoutScheduler: model "${model.name}" has no layer "${name}"`);
        if (!hasSettableRate(layer))
          throw new Error(`DropoutScheduler: layer "${name}" (${layer.className}) has no settable rate`);
        return layer;
      });
    } else {
      this.targets = candidates.filter(
        (l): l is Layer & RateSettable => hasSettableRate(l) && (selection === undefined || selection(l)),
      );
    }
    if (this.targets.length === 0)
      throw new Error(`DropoutScheduler: model "${model.name}" has no dropout layer with a settable rate to schedule`);
  }

  override onEpochBegin(epoch: number): void {
    const rate = this.rateAt(epoch);
    for (const layer of this.targets) layer.rate = rate;
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs === undefined) return;
    if (this.logKey !== null) {
      logs[this.logKey] = this.targets[0]!.rate;
    } else {
      for (const layer of this.targets) logs[`${layer.name}_rate`] = layer.rate;
    }
  }
}
