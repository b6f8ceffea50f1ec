import type { DriftResult } from '@cvf/core';
import { Gauge, type Registry } from 'prom-client';

/**
 * The edge runtime's drift gauges, on the server's registry: the latest check's statistic and
 * p-value per model and method, and whether that check found drift (1) or not (0).
 */
export class DriftGauges {
  readonly statistic: Gauge<'model' | 'method'>;
  readonly pValue: Gauge<'model' | 'method'>;
  readonly detected: Gauge<'model'>;

  constructor(registry: Registry) {
    this.statistic = new Gauge({
      name: 'cvf_drift_statistic',
      help: 'statistic of the latest drift check over the last window of predictions (mmd: MMD², input: the strongest test), by model and method',
      labelNames: ['model', 'method'] as const,
      registers: [registry],
    });
    this.pValue = new Gauge({
      name: 'cvf_drift_p_value',
      help: 'p-value of the latest drift check, by model and method (each method judged at alpha / methods: Bonferroni)',
      labelNames: ['model', 'method'] as const,
      registers: [registry],
    });
    this.detected = new Gauge({
      name: 'cvf_drift_detected',
      help: 'whether the latest drift check of the model found drift (1) or not (0)',
      labelNames: ['model'] as const,
      registers: [registry],
    });
  }

  /** Shows one check: every method's figures, and drift when any fired. A method missing from this check is removed, so no stale figure stays. */
  show(model: string, results: readonly DriftResult[], methods: readonly DriftResult['method'][]): void {
    for (const method of methods) {
      const result = results.find((r) => r.method === method);
      if (!result) {
        this.statistic.remove({ model, method });
        this.pValue.remove({ model, method });
        continue;
      }
      this.statistic.set({ model, method }, result.statistic);
      if (result.pValue === undefined) this.pValue.remove({ model, method });
      else this.pValue.set({ model, method }, result.pValue);
    }
    this.detected.set({ model }, results.some((r) => r.drifted) ? 1 : 0);
  }
}
