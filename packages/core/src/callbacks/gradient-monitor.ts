/**
 * `GradientMonitor`: records per-layer gradient norms during `fit` — from the gradients of the
 * training step itself, no second backward pass — and reports vanishing or exploding gradients
 * as findings shaped like `@strata/lint`'s `Finding`.
 */
import { Callback, type LayerGradientNorm, type Logs } from './callback.js';

/** A gradient finding (the shape of `@strata/lint`'s `Finding`). */
export interface GradientFinding {
  ruleId: 'vanishing-gradients' | 'exploding-gradients';
  severity: 'warn';
  message: string;
  layer: { name: string; className: string; path: string[] };
}

/** Options of {@link GradientMonitor}. */
export interface GradientMonitorArgs {
  /** Warn when norm(first trainable layer) / norm(last trainable layer) is below this (default 1e-3). */
  vanishingThreshold?: number;
  /** Warn when any layer's gradient norm exceeds this (default 1e3). */
  explodingThreshold?: number;
  /** Called with each new finding (default: `console.warn` of its message). */
  onFinding?: (finding: GradientFinding) => void;
}

/** Per-layer gradient norms, averaged per epoch, and warnings about vanishing/exploding gradients. */
export class GradientMonitor extends Callback {
  override readonly wantsGradients = true;
  readonly vanishingThreshold: number;
  readonly explodingThreshold: number;
  /** Mean gradient norm per layer for each epoch: `history[layerName][epochIndex]`. */
  readonly history: Record<string, number[]> = {};
  /** Norms of the most recent step. */
  lastNorms: LayerGradientNorm[] = [];
  /** Findings reported so far (each rule/layer pair once per `fit`). */
  findings: GradientFinding[] = [];
  private readonly onFinding: (finding: GradientFinding) => void;
  private sums = new Map<string, { className: string; sum: number; count: number }>();
  private reported = new Set<string>();

  constructor(args: GradientMonitorArgs = {}) {
    super();
    this.vanishingThreshold = args.vanishingThreshold ?? 1e-3;
    this.explodingThreshold = args.explodingThreshold ?? 1e3;
    this.onFinding = args.onFinding ?? ((f) => console.warn(`[${f.ruleId}] ${f.message}`));
  }

  override onTrainBegin(): void {
    this.findings = [];
    this.reported.clear();
  }

  override onEpochBegin(): void {
    this.sums = new Map();
  }

  override onTrainBatchGradients(_batch: number, norms: LayerGradientNorm[]): void {
    this.lastNorms = norms;
    for (const n of norms) {
      const entry = this.sums.get(n.layer) ?? { className: n.className, sum: 0, count: 0 };
      entry.sum += n.norm;
      entry.count += 1;
      this.sums.set(n.layer, entry);
    }
  }

  override onEpochEnd(epoch: number, _logs?: Logs): void {
    const means = [...this.sums].map(([layer, e]) => ({ layer, className: e.className, norm: e.sum / e.count }));
    for (const m of means) (this.history[m.layer] ??= []).push(m.norm);
    for (const m of means) {
      if (!(m.norm <= this.explodingThreshold)) {
        this.report({
          ruleId: 'exploding-gradients',
          severity: 'warn',
          message: `Layer "${m.layer}" (${m.className}) has a mean gradient norm of ${m.norm.toExponential(3)} in epoch ${epoch + 1}, above ${this.explodingThreshold}: gradients are exploding (lower the learning rate, clip gradients, or normalize inputs)`,
          layer: { name: m.layer, className: m.className, path: [] },
        });
      }
    }
    const first = means[0];
    const last = means[means.length - 1];
    if (first !== undefined && last !== undefined && first !== last && last.norm > 0) {
      const ratio = first.norm / last.norm;
      if (ratio < this.vanishingThreshold) {
        this.report({
          ruleId: 'vanishing-gradients',
          severity: 'warn',
          message: `Gradients vanish towards the input: layer "${first.layer}" (${first.className}) has gradient norm ${first.norm.toExponential(3)}, ${ratio.toExponential(2)} times that of the last trainable layer "${last.layer}" (${last.norm.toExponential(3)}) in epoch ${epoch + 1} (threshold ${this.vanishingThreshold})`,
          layer: { name: first.layer, className: first.className, path: [] },
        });
      }
    }
  }

  private report(finding: GradientFinding): void {
    const key = `${finding.ruleId}:${finding.layer.name}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(finding);
    this.onFinding(finding);
  }
}
